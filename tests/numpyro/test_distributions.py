"""Tests of the DDM distributions: delegation, shapes, support, and a hierarchical fit."""

import jax
import jax.numpy as jnp
import numpy as np
import numpyro
import numpyro.distributions as dist
import pandas as pd
import pytest
from numpyro.infer import MCMC, NUTS

from hierax.likelihoods import ddm_logpdf, ddm_sdv_logpdf, full_ddm_logpdf
from hierax.numpyro import DDM, DDMSDV, FullDDM, GroupIndex, hierarchical
from hierax.numpyro.distributions import rt_response
from hierax.simulators import sample_ddm

#: Rows simulated per test; one shape, so the jitted simulator compiles once.
N_ROWS = 50

PARAMS = {"v": 0.8, "a": 1.0, "z": 0.45, "t": 0.3, "sv": 0.4, "sz": 0.1, "st": 0.1}

#: (distribution, pure log density, parameter names in signature order)
CASES = {
    "ddm": (DDM, ddm_logpdf, ("v", "a", "z", "t")),
    "ddm_sdv": (DDMSDV, ddm_sdv_logpdf, ("v", "a", "z", "t", "sv")),
    "full_ddm": (FullDDM, full_ddm_logpdf, ("v", "a", "z", "t", "sv", "sz", "st")),
}


#: ``log_prob`` of a distribution, jitted once (eager evaluation compiles op by op).
_log_prob = jax.jit(lambda d, x: d.log_prob(x))


def _make(case, **overrides):
    cls, logpdf, names = CASES[case]
    params = [overrides.get(n, PARAMS[n]) for n in names]
    return cls(*params), logpdf, params


@pytest.mark.parametrize("case", list(CASES))
def test_log_prob_equals_likelihood_function(case):
    d, logpdf, params = _make(case)
    obs = d.sample(jax.random.key(0), (N_ROWS,))
    expected = jax.jit(logpdf)(obs[:, 0], obs[:, 1], *params)
    np.testing.assert_allclose(_log_prob(d, obs), expected, rtol=1e-12)
    assert np.all(np.isfinite(expected))


@pytest.mark.parametrize("case", list(CASES))
def test_sample_delegates_to_simulator(case):
    d, _, _ = _make(case)
    key = jax.random.key(3)
    obs = d.sample(key, (N_ROWS,))
    # the simulator's full signature, variability absent from this model at zero
    full = [PARAMS[n] if n in CASES[case][2] else 0.0 for n in CASES["full_ddm"][2]]
    rt, response = sample_ddm(key, *full, shape=(N_ROWS,))
    np.testing.assert_array_equal(obs[:, 0], rt)
    np.testing.assert_array_equal(obs[:, 1], response)


@pytest.mark.parametrize("case", list(CASES))
def test_batch_shape_broadcasts_parameters(case):
    d, _, _ = _make(case, v=jnp.array([[0.0], [1.0], [2.0]]), a=jnp.array([0.8, 1.0, 1.2, 1.5]))
    assert d.batch_shape == (3, 4) and d.event_shape == (2,)
    # shapes only: trace without compiling the simulator for every shape
    key = jax.random.key(1)
    obs = jax.eval_shape(lambda k: d.sample(k, (5,)), key)
    assert obs.shape == (5, 3, 4, 2)
    rows = jnp.full((5, 3, 4, 2), 1.0)
    assert jax.eval_shape(d.log_prob, rows).shape == (5, 3, 4)
    assert jax.eval_shape(d.log_prob, rows[0]).shape == (3, 4)
    # a single row broadcasts against the batch
    assert jax.eval_shape(d.log_prob, jnp.array([0.9, 1.0])).shape == (3, 4)


def test_scalar_distribution_shapes():
    d = DDM(0.5, 1.0, 0.5, 0.3)
    key = jax.random.key(0)
    assert d.batch_shape == () and d.event_shape == (2,)
    assert jax.eval_shape(d.sample, key).shape == (2,)
    assert jax.eval_shape(lambda k: d.sample(k, (7, 3)), key).shape == (7, 3, 2)
    assert DDM.infer_shapes((3, 1), (), (4,), ()) == ((3, 4), (2,))


def test_parameters_that_do_not_broadcast_are_named():
    with pytest.raises(ValueError, match=r"v \(5,\), a \(\), z \(\), t \(4,\)"):
        DDM(jnp.zeros(5), 1.0, 0.5, jnp.full(4, 0.3))


def test_lower_response_codes_zero_and_minus_one_agree():
    d = DDM(0.5, 1.0, 0.5, 0.3)
    lp = _log_prob(d, jnp.array([[0.7, -1.0], [0.7, 0.0], [0.7, 1.0]]))
    assert lp[0] == lp[1]
    assert lp[0] != lp[2]


def test_jit_and_vmap_over_distribution():
    obs = jnp.array([[0.7, 1.0], [0.9, -1.0]])
    drifts = jnp.array([0.2, 0.4])
    expected = jax.jit(ddm_logpdf)(obs[:, 0], obs[:, 1], drifts, 1.0, 0.5, 0.3)
    # the distribution is a pytree: it passes through jit as an argument
    jitted = jax.jit(lambda d, x: d.log_prob(x))(DDM(drifts, 1.0, 0.5, 0.3), obs)
    np.testing.assert_allclose(jitted, expected, rtol=1e-12)
    # and can be built inside vmap: one drift per row here
    by_row = jax.jit(jax.vmap(lambda v, x: DDM(v, 1.0, 0.5, 0.3).log_prob(x)))(drifts, obs)
    np.testing.assert_allclose(by_row, expected, rtol=1e-12)


def test_support_constraint():
    rows = jnp.array([[0.5, 1.0], [0.5, -1.0], [0.5, 0.0], [0.5, 2.0], [-0.1, 1.0]])
    np.testing.assert_array_equal(rt_response(rows), [True, True, True, False, False])
    assert rt_response.event_dim == 1
    assert bool(rt_response(rt_response.feasible_like(jnp.zeros((3, 2)))).all())


def test_validate_args_rejects_bad_parameters_and_rows():
    with pytest.raises(ValueError, match="a"):
        DDM(0.5, -1.0, 0.5, 0.3, validate_args=True)
    with pytest.warns(UserWarning, match="Out-of-support"):
        lp = DDM(0.5, 1.0, 0.5, 0.3, validate_args=True).log_prob(jnp.array([0.7, 2.0]))
    assert lp == -jnp.inf


def test_observed_site_in_model():
    obs = DDM(0.5, 1.0, 0.5, 0.3).sample(jax.random.key(0), (N_ROWS,))

    def model(obs):
        v = numpyro.sample("v", dist.Normal(0.0, 1.0))
        with numpyro.plate("trials", obs.shape[0]):
            numpyro.sample("y", DDM(v, 1.0, 0.5, 0.3), obs=obs)

    with numpyro.handlers.trace() as tr, numpyro.handlers.seed(rng_seed=0):
        model(obs)
    site = tr["y"]
    assert site["is_observed"] and site["fn"].batch_shape == (N_ROWS,)
    expected_args = (obs[:, 0], obs[:, 1], tr["v"]["value"], 1.0, 0.5, 0.3)
    np.testing.assert_allclose(_log_prob(site["fn"], obs), jax.jit(ddm_logpdf)(*expected_args))


# -- a small hierarchical DDM recovers its group mean drift -------------------

N_PARTICIPANTS, N_TRIALS = 5, 200
TRUE = {"v_mu": 1.0, "v_sigma": 0.3, "a": 1.0, "z": 0.5, "t": 0.3}

#: Recovery band, in posterior standard deviations (a calibrated posterior misses
#: a 3-sd band about 0.3 % of the time; the seed is fixed).
RECOVERY_SDS = 3.0


def _simulate(seed=11):
    key_v, key_data = jax.random.split(jax.random.key(seed))
    v_true = TRUE["v_mu"] + TRUE["v_sigma"] * jax.random.normal(key_v, (N_PARTICIPANTS,))
    participant = np.repeat(np.arange(N_PARTICIPANTS) + 101, N_TRIALS)
    rt, response = sample_ddm(
        key_data, jnp.repeat(v_true, N_TRIALS), TRUE["a"], TRUE["z"], TRUE["t"]
    )
    data = pd.DataFrame({"rt": rt, "response": response, "participant_id": participant})
    return data, np.asarray(v_true)


@pytest.mark.slow
def test_hierarchical_ddm_recovers_group_mean_drift():
    data, v_true = _simulate()
    index = GroupIndex.from_values(data["participant_id"])
    obs = jnp.asarray(data[["rt", "response"]].to_numpy())
    t_max = 0.9 * float(data["rt"].min())

    def model(obs):
        v = hierarchical("v", index, dist.Normal(0.0, 2.0), dist.HalfNormal(1.0))
        a = numpyro.sample("a", dist.Gamma(4.0, 4.0))
        z = numpyro.sample("z", dist.Beta(10.0, 10.0))
        t = numpyro.sample("t", dist.Uniform(0.0, t_max))
        with numpyro.plate("trials", index.n_obs):
            numpyro.sample("y", DDM(v.per_observation, a, z, t), obs=obs)

    mcmc = MCMC(NUTS(model), num_warmup=300, num_samples=300, progress_bar=False)
    mcmc.run(jax.random.key(0), obs)
    samples = mcmc.get_samples()

    v_mu = np.asarray(samples["v_mu"])
    # the posterior is informative: narrower than the prior sd of 2 by far
    assert v_mu.std() < 0.3
    assert abs(v_mu.mean() - TRUE["v_mu"]) < RECOVERY_SDS * v_mu.std()
    # each participant's drift, with 200 trials each, is pinned down much tighter
    v = np.asarray(samples["v"])
    assert np.all(np.abs(v.mean(axis=0) - v_true) < RECOVERY_SDS * v.std(axis=0))
    for name in ("a", "z", "t"):
        s = np.asarray(samples[name])
        assert abs(s.mean() - TRUE[name]) < RECOVERY_SDS * s.std(), name
