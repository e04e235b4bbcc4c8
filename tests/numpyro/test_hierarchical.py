"""Tests of the hierarchical-parameter helper and GroupIndex."""

import arviz as az
import jax
import jax.numpy as jnp
import numpy as np
import numpyro
import numpyro.distributions as dist
import pandas as pd
import pytest
from numpyro import handlers
from numpyro.infer import MCMC, NUTS
from numpyro.infer.util import log_density

from hierax.numpyro import GroupIndex, HierarchicalParam, hierarchical

MEAN_PRIOR = dist.Normal(0.0, 1.0)
SD_PRIOR = dist.HalfNormal(1.0)

#: Tolerance on a difference of two posterior means, in combined MCSEs (a 4-sigma band).
MCSE_TOLERANCE = 4.0


def _trace(fn, *args, seed=0, **kwargs):
    """Run ``fn`` under a seeded trace; return ``(value, trace)``."""
    with handlers.trace() as tr, handlers.seed(rng_seed=seed):
        value = fn(*args, **kwargs)
    return value, tr


# -- site names and shapes ---------------------------------------------------


def test_non_centred_sites_and_shapes():
    groups = [0, 1, 2, 1, 0]
    (per_group, per_obs), tr = _trace(hierarchical, "v", groups, MEAN_PRIOR, SD_PRIOR)
    assert set(tr) == {"v_mu", "v_sigma", "v_offset", "v", "v_group"}
    assert tr["v_offset"]["type"] == "sample"
    assert tr["v"]["type"] == "deterministic"
    assert tr["v_offset"]["value"].shape == (3,)
    assert per_group.shape == (3,) and per_obs.shape == (5,)
    mu, sigma, offset = (tr[s]["value"] for s in ("v_mu", "v_sigma", "v_offset"))
    np.testing.assert_allclose(per_group, mu + offset * sigma)
    np.testing.assert_allclose(per_obs, per_group[np.array(groups)])


def test_centred_sites_and_shapes():
    result, tr = _trace(hierarchical, "a", np.array([1, 1, 0]), MEAN_PRIOR, SD_PRIOR, centered=True)
    assert isinstance(result, HierarchicalParam)
    assert set(tr) == {"a_mu", "a_sigma", "a", "a_group"}
    assert tr["a"]["type"] == "sample"
    assert tr["a"]["fn"].batch_shape == (2,)
    np.testing.assert_allclose(result.per_observation, result.per_group[np.array([1, 1, 0])])


def test_number_of_groups_gives_no_per_observation():
    (per_group, per_obs), _ = _trace(hierarchical, "b", 4, MEAN_PRIOR, SD_PRIOR)
    assert per_group.shape == (4,) and per_obs is None


def test_plate_named_after_series():
    ids = pd.Series(["s2", "s1", "s2"], name="participant_id")
    _, tr = _trace(hierarchical, "v", ids, MEAN_PRIOR, SD_PRIOR)
    assert tr["participant_id"]["type"] == "plate"
    assert tr["v_offset"]["cond_indep_stack"][0].name == "participant_id"


# -- every kind of group ids -------------------------------------------------

GROUP_ID_CASES = {
    "list_int": ([2, 0, 2, 1], [2, 0, 2, 1], (0, 1, 2)),
    "list_str": (["b", "a", "b", "c"], [1, 0, 1, 2], ("a", "b", "c")),
    "tuple_str": (("b", "a", "b", "c"), [1, 0, 1, 2], ("a", "b", "c")),
    "numpy_1based": (np.array([3, 1, 3, 2]), [2, 0, 2, 1], (1, 2, 3)),
    "jax_array": (jnp.array([1, 0, 1, 0]), [1, 0, 1, 0], (0, 1)),
    "object_array": (np.array(["x", "y", "x"], dtype=object), [0, 1, 0], ("x", "y")),
    "mixed_types": (np.array(["a", 1, "a"], dtype=object), [1, 0, 1], (1, "a")),
    "series_str": (pd.Series(["p2", "p1", "p2"]), [1, 0, 1], ("p1", "p2")),
    "categorical_unused": (
        pd.Categorical(["lo", "hi", "lo"], categories=["hi", "mid", "lo"]),
        [2, 0, 2],
        ("hi", "mid", "lo"),
    ),
    "series_categorical": (
        pd.Series(["lo", "hi"], dtype=pd.CategoricalDtype(["lo", "hi"])),
        [0, 1],
        ("lo", "hi"),
    ),
}


@pytest.mark.parametrize("case", list(GROUP_ID_CASES))
def test_group_id_kinds(case):
    values, codes, labels = GROUP_ID_CASES[case]
    index = GroupIndex.from_values(values)
    assert index.codes.tolist() == codes
    assert index.labels == labels
    (per_group, per_obs), _ = _trace(hierarchical, "v", values, MEAN_PRIOR, SD_PRIOR)
    assert per_group.shape == (len(labels),)
    np.testing.assert_allclose(per_obs, per_group[np.array(codes)])


def test_python_list_ids_work_where_plain_indexing_fails():
    """The tutorial mistake: indexing a JAX array with a Python list raises in JAX."""
    ids = [0, 1, 1, 0]
    with pytest.raises(TypeError, match="non-tuple sequence"):
        jnp.zeros(2)[ids]

    def model(y):
        theta = hierarchical("theta", ids, MEAN_PRIOR, SD_PRIOR).per_observation
        numpyro.sample("y", dist.Normal(theta, 1.0), obs=y)

    y = jnp.array([0.1, 0.5, 0.4, -0.2])
    params = {"theta_mu": 0.0, "theta_sigma": 1.0, "theta_offset": jnp.array([0.5, -0.5])}
    log_joint = jax.jit(lambda p: log_density(model, (y,), {}, p)[0])(params)
    expected = (
        MEAN_PRIOR.log_prob(0.0)
        + SD_PRIOR.log_prob(1.0)
        + dist.Normal(0.0, 1.0).log_prob(params["theta_offset"]).sum()
        + dist.Normal(jnp.array([0.5, -0.5, -0.5, 0.5]), 1.0).log_prob(y).sum()
    )
    np.testing.assert_allclose(log_joint, expected, rtol=1e-12)


def test_group_index_is_reused_and_immutable():
    index = GroupIndex.from_values(pd.Series(["a", "b", "a"], name="item"))
    assert GroupIndex.from_values(index) is index
    assert index.coords == {"item": ["a", "b"]}
    assert index.dims("v") == {"v": ["item"], "v_offset": ["item"]}
    assert GroupIndex.from_values(["a"]).dim == "group"
    with pytest.raises(ValueError, match="read-only"):
        index.codes[0] = 1


# -- clear errors --------------------------------------------------------------


def test_plate_size_mismatch_for_labels_names_both_counts():
    ids = pd.Series(["a", "b", "a"], name="participant_id")
    with pytest.raises(
        ValueError, match=r"n_groups=3 does not match the 2 groups in 'participant_id'"
    ):
        _trace(hierarchical, "v", ids, MEAN_PRIOR, SD_PRIOR, n_groups=3)


def test_plate_size_mismatch_for_integer_ids_names_the_ids():
    with pytest.raises(ValueError, match=r"n_groups=3 .* group id\(s\) 3, 4 lie outside 0..2"):
        GroupIndex.from_values([0, 3, 4, 4], n_groups=3)


def test_plate_size_larger_than_integer_ids_keeps_empty_groups():
    (per_group, per_obs), _ = _trace(hierarchical, "v", [0, 2], MEAN_PRIOR, SD_PRIOR, n_groups=4)
    assert per_group.shape == (4,)
    np.testing.assert_allclose(per_obs, per_group[np.array([0, 2])])


def test_categorical_plate_size_counts_categories():
    ids = pd.Categorical(["a"], categories=["a", "b"])
    assert GroupIndex.from_values(ids, n_groups=2).n_groups == 2
    with pytest.raises(ValueError, match="n_groups=1 does not match the 2 groups"):
        GroupIndex.from_values(ids, n_groups=1)


def test_number_of_groups_mismatch():
    with pytest.raises(ValueError, match="group=3, n_groups=4"):
        _trace(hierarchical, "v", 3, MEAN_PRIOR, SD_PRIOR, n_groups=4)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["a", None, "b"], r"1 missing value\(s\) \(at positions 1\)"),
        (np.zeros((2, 2), dtype=int), "must be 1-D"),
        ([], "empty"),
        ("abc", "must be 1-D"),
    ],
)
def test_bad_group_ids(values, message):
    with pytest.raises(ValueError, match=message):
        GroupIndex.from_values(values)


def test_sd_prior_must_be_positive():
    with pytest.raises(ValueError, match="sd_prior must have positive support"):
        _trace(hierarchical, "v", [0, 1], MEAN_PRIOR, dist.Normal(0.0, 1.0))


def test_priors_must_be_distributions():
    with pytest.raises(TypeError, match="mean_prior must be a NumPyro distribution"):
        _trace(hierarchical, "v", [0, 1], 0.0, SD_PRIOR)


# -- nested plates -------------------------------------------------------------


def test_inside_outer_plate_on_the_left():
    ids = [0, 1, 1, 2, 0]

    def model():
        with numpyro.plate("condition", 2, dim=-2):
            return hierarchical("v", ids, MEAN_PRIOR, SD_PRIOR)

    (per_group, per_obs), tr = _trace(model)
    assert tr["v_mu"]["value"].shape == (2, 1)
    assert per_group.shape == (2, 3) and per_obs.shape == (2, 5)
    np.testing.assert_allclose(per_obs, per_group[:, np.array(ids)])


def test_inside_outer_plate_on_the_right_takes_next_dim():
    ids = [0, 1, 1, 2, 0]

    def model():
        with numpyro.plate("condition", 2):
            return hierarchical("v", ids, MEAN_PRIOR, SD_PRIOR)

    (per_group, per_obs), _ = _trace(model)
    assert per_group.shape == (3, 2) and per_obs.shape == (5, 2)
    np.testing.assert_allclose(per_obs, per_group[np.array(ids), :])


def test_dim_clash_with_outer_plate_is_a_clear_error():
    def model():
        with numpyro.plate("condition", 2):
            hierarchical("v", [0, 1], MEAN_PRIOR, SD_PRIOR, dim=-1)

    with pytest.raises(ValueError, match="dim=-1 is already used by an enclosing plate"):
        _trace(model)


# -- centred and non-centred agree ---------------------------------------------


def _simulate_groups(seed=1, n_groups=8, n_per_group=20, mu=1.0, sigma=0.8, noise=1.0):
    rng = np.random.default_rng(seed)
    theta = rng.normal(mu, sigma, size=n_groups)
    ids = np.repeat([f"g{g}" for g in range(n_groups)], n_per_group)
    y = rng.normal(np.repeat(theta, n_per_group), noise)
    return ids, y


def _fit(ids, y, centered, seed):
    index = GroupIndex.from_values(pd.Series(ids, name="group_id"))

    def model(y):
        theta = hierarchical(
            "theta", index, dist.Normal(0.0, 2.0), dist.HalfNormal(2.0), centered=centered
        ).per_observation
        with numpyro.plate("obs", index.n_obs):
            numpyro.sample("y", dist.Normal(theta, 1.0), obs=y)

    mcmc = MCMC(
        NUTS(model),
        num_warmup=400,
        num_samples=800,
        num_chains=2,
        chain_method="sequential",
        progress_bar=False,
    )
    mcmc.run(jax.random.key(seed), jnp.asarray(y))
    return az.from_numpyro(mcmc, coords=index.coords, dims=index.dims("theta"))


@pytest.mark.slow
def test_centred_and_non_centred_agree_within_monte_carlo_error():
    """Same model, two parameterisations: posterior means differ only by MC error.

    With 20 observations per group the likelihood dominates, so the centred
    form samples without divergences and both estimates are trustworthy.
    """
    ids, y = _simulate_groups()
    centred = _fit(ids, y, centered=True, seed=2)
    non_centred = _fit(ids, y, centered=False, seed=3)
    assert int(centred.sample_stats["diverging"].sum()) == 0
    for var in ("theta_mu", "theta_sigma", "theta"):
        mean_c = centred.posterior[var].mean(("chain", "draw")).values
        mean_n = non_centred.posterior[var].mean(("chain", "draw")).values
        mcse_c = az.mcse(centred.posterior[var]).to_array().values.squeeze()
        mcse_n = az.mcse(non_centred.posterior[var]).to_array().values.squeeze()
        band = MCSE_TOLERANCE * np.sqrt(mcse_c**2 + mcse_n**2)
        assert np.all(np.abs(mean_c - mean_n) < band), (var, mean_c, mean_n, band)
    # labels became coordinates
    assert non_centred.posterior["theta"].sel(group_id="g3").shape == (2, 800)
