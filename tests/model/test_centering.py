"""Centred / non-centred group terms: the ``noncentered="auto"`` choice and its equivalence."""

import numpy as np
import pandas as pd
import pytest

import hierax as hx
from hierax.build import level_intercept
from hierax.inference.ez import ez_diffusion
from hierax.inference.sites import model_sites
from hierax.parameterisation import parameterisation

FORMULA = "y ~ 1 + (1|participant_id)"


def centred(model: hx.Model) -> dict[str, bool]:
    return {g.site: g.centered for p in model.resolved.plans for g in p.group}


@pytest.fixture(scope="module")
def cavanagh():
    return hx.load_data("cavanagh_theta")


def test_auto_centres_the_well_informed_terms(cavanagh):
    # ~285 trials per participant: v, a, t are pinned down by each participant's data,
    # the start point z is not (docs/performance.md).
    model = hx.Model(cavanagh, global_formula=FORMULA)
    assert centred(model) == {
        "v_1|participant_id": True,
        "a_1|participant_id": True,
        "z_1|participant_id": False,
        "t_1|participant_id": True,
    }


def test_auto_keeps_few_trials_per_participant_non_centred(cavanagh):
    few = cavanagh.groupby("participant_id").head(20).reset_index(drop=True)
    choice = centred(hx.Model(few, global_formula=FORMULA))
    assert not choice["z_1|participant_id"] and not choice["t_1|participant_id"]
    tiny = cavanagh.groupby("participant_id").head(5).reset_index(drop=True)
    assert not any(centred(hx.Model(tiny, global_formula=FORMULA)).values())


def test_explicit_choices_override_auto(cavanagh):
    assert not any(centred(hx.Model(cavanagh, global_formula=FORMULA, noncentered=True)).values())
    assert all(centred(hx.Model(cavanagh, global_formula=FORMULA, noncentered=False)).values())
    model = hx.Model(
        cavanagh,
        global_formula=FORMULA,
        include=[hx.Param("v", formula="v ~ 1 + (1|participant_id)", centered=False)],
    )
    assert centred(model)["v_1|participant_id"] is False
    assert centred(model)["a_1|participant_id"] is True


def test_invalid_noncentered_is_rejected(cavanagh):
    with pytest.raises(ValueError, match="noncentered must be True, False or 'auto'"):
        hx.Model(cavanagh, global_formula=FORMULA, noncentered="yes")


def test_centred_intercept_terms_sample_the_levels(cavanagh):
    model = hx.Model(
        cavanagh.query("participant_id < 3"), global_formula=FORMULA, noncentered=False
    )
    nuts_view = parameterisation(model.resolved).apply(model.model_fn)
    sites = model_sites(nuts_view, model.resolved.arrays)
    assert "v_1|participant_id_level" in sites.latent
    assert "v_1|participant_id" in sites.deterministic
    plan = next(p for p in model.resolved.plans if p.name == "v")
    assert level_intercept(plan, plan.group[0]) == "v_Intercept"
    assert model.resolved.dims["v_1|participant_id_level"] == ["participant_id"]


def test_the_model_function_is_free_of_parameterisation(cavanagh):
    """The model samples effects as they are; samplers choose their view (REVIEW S2)."""
    model = hx.Model(cavanagh.query("participant_id < 3"), global_formula=FORMULA)
    sites = model_sites(model.model_fn, model.resolved.arrays)
    assert "v_1|participant_id" in sites.latent
    assert not any(s.endswith(("_offset", "_level")) for s in sites.latent)
    offsets = parameterisation(model.resolved, noncentred=True)
    latent = model_sites(offsets.apply(model.model_fn), model.resolved.arrays).latent
    assert {f"{p}_1|participant_id_offset" for p in "vazt"} <= set(latent)
    # Values of the effects convert into values of the offsets: (effect - 0) / sigma.
    values = offsets.latent_values(
        {"v_1|participant_id": np.array([0.2, -0.4, 0.1]), "v_1|participant_id_sigma": 0.5}
    )
    np.testing.assert_allclose(values["v_1|participant_id_offset"], [0.4, -0.8, 0.2])


def _collapsing_normal_model(noncentered) -> hx.Model:
    # REVIEW B1: 6 groups x 12 observations, true group sd 0.7. The centred joint density
    # grows without bound as the group sd goes to 0, so a MAP of the centred model
    # collapses (sd ~ 0.01); the non-centred one has an interior mode.
    rng = np.random.default_rng(1)
    groups = np.repeat(np.arange(6), 12)
    y = rng.normal(0.0, 0.7, 6)[groups] + rng.normal(0.0, 1.0, groups.size)
    data = pd.DataFrame({"y": y, "g": groups})
    return hx.Model(
        data, model="normal", response="y", group="g", pooling="partial", noncentered=noncentered
    )


@pytest.mark.parametrize("noncentered", [False, "auto", True])
def test_map_is_non_centred_whatever_the_model_says(noncentered):
    estimates = _collapsing_normal_model(noncentered).find_map(
        steps=4000, learning_rate=0.02, progress=False
    )
    assert "mu_1|g_offset" in estimates
    # The interior mode: the group sd is of the order of the effects' spread (~0.3-0.9
    # here), not the collapsed ~0.01 of the centred density.
    assert estimates["mu_1|g_sigma"] > 0.2
    assert np.std(estimates["mu_1|g"]) > 0.1


def test_vi_is_non_centred_whatever_the_model_says():
    idata = _collapsing_normal_model(False).vi(steps=500, draws=50, seed=0, progress=False)
    assert "mu_1|g_offset" in idata.posterior
    assert "mu_1|g_level" not in idata.posterior


def test_ez_diffusion_recovers_simulated_parameters():
    data = hx.simulate_data("ddm", {"v": 1.0, "a": 0.8, "z": 0.5, "t": 0.3}, size=4000, seed=3)
    est = ez_diffusion(data["rt"].to_numpy(), data["response"].to_numpy() > 0)
    assert est["v"] == pytest.approx(1.0, abs=0.1)
    assert est["a"] == pytest.approx(0.8, abs=0.05)
    assert est["t"] == pytest.approx(0.3, abs=0.03)


def _normal_fit(data: pd.DataFrame, noncentered: bool):
    model = hx.Model(
        data, model="normal", response="y", group="g", pooling="partial", noncentered=noncentered
    )
    idata = model.sample(
        draws=1000, tune=500, chains=2, seed=4, progress=False, diagnose=False, log_likelihood=False
    )
    return idata.posterior


def test_centred_and_non_centred_give_the_same_posterior():
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(4), 15)
    y = 1.0 + rng.normal(0.0, 0.7, 4)[groups] + rng.normal(0.0, 1.0, groups.size)
    data = pd.DataFrame({"y": y, "g": groups})
    a, b = _normal_fit(data, True), _normal_fit(data, False)
    for name in ("mu_Intercept", "mu_1|g", "sigma"):
        mean_a = a[name].mean(("chain", "draw")).values
        mean_b = b[name].mean(("chain", "draw")).values
        sd = a[name].std(("chain", "draw")).values
        # Monte-Carlo standard error of a mean with >= 200 effective draws is < sd / 14;
        # the difference of two such means stays within 4 of their combined errors.
        np.testing.assert_array_less(np.abs(mean_a - mean_b), 4 * np.sqrt(2) * sd / 14)
