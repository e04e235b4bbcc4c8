"""Initial values: inside the support, user values validated with clear errors."""

import numpy as np
import pytest

import hierax as hx
from hierax._config import precision
from hierax.inference.initial import initial_values
from hierax.inference.nuts import start_values
from hierax.inference.sites import trace_at
from hierax.parameterisation import parameterisation


@pytest.fixture(scope="module")
def data():
    return hx.load_data("cavanagh_theta").query("participant_id < 4").reset_index(drop=True)


@pytest.mark.parametrize("link_settings", [None, "log_logit"])
def test_t_starts_below_each_participants_fastest_rt(data, link_settings):
    m = hx.Model(
        data,
        include=[{"name": "t", "formula": "t ~ 1 + (1|participant_id)"}],
        p_outlier=None,
        link_settings=link_settings,
    )
    with precision("float64"):
        values = start_values(m.model_fn, m.resolved, None, None)
        nuts_view = parameterisation(m.resolved).apply(m.model_fn)
        fn = trace_at(nuts_view, m.resolved.arrays, values)[m.resolved.obs_site]["fn"]
        t = np.broadcast_to(np.asarray(fn.params["t"]), (len(data),))
        logp = np.asarray(fn.log_prob(m.resolved.arrays["obs"]))
    fastest = data.groupby("participant_id")["rt"].transform("min").to_numpy()
    assert (t < fastest).all() and np.isfinite(logp).all()


@pytest.fixture(scope="module")
def model(data):
    return hx.Model(
        data,
        include=[{"name": "v", "formula": "v ~ 1 + (1|participant_id)"}],
        p_outlier=None,
        noncentered=True,
    )


def test_unknown_initval_lists_the_sites(model):
    with pytest.raises(ValueError, match=r"no sampled site 'v_intercept'.*v_Intercept.*t"):
        model.sample(draws=5, tune=5, chains=1, initvals={"v_intercept": 0.0})


def test_group_effects_as_initvals_become_offsets(model):
    effects = np.array([0.2, -0.1, 0.0, 0.3])
    values = start_values(model.model_fn, model.resolved, {"v_1|participant_id": effects}, None)
    sigma = values["v_1|participant_id_sigma"]
    np.testing.assert_allclose(values["v_1|participant_id_offset"], effects / sigma)
    assert "v_1|participant_id" not in values


def test_initval_outside_support(model):
    with pytest.raises(ValueError, match=r"initvals\['a'\] = -1.0 is outside the support"):
        model.sample(draws=5, tune=5, chains=1, initvals={"a": -1.0})


def test_initval_of_wrong_shape(model):
    with pytest.raises(ValueError, match=r"shape \(2,\), but the site has shape \(4,\)"):
        model.sample(draws=5, tune=5, chains=1, initvals={"v_1|participant_id_offset": [0.0, 0.0]})


def test_initval_that_is_not_a_number(model):
    # REVIEW.md B5: a string used to be reported as a shape mismatch "() vs ()".
    with pytest.raises(ValueError, match=r"initvals\['a'\] = 'abc' is not a number"):
        model.sample(draws=5, tune=5, chains=1, initvals={"a": "abc"})


def test_initval_with_zero_density_names_the_trial(model, data):
    with pytest.raises(ValueError, match=r"zero density.*t=0.9"):
        model.sample(draws=5, tune=5, chains=1, initvals={"t": 0.9})


def test_user_values_are_used(model):
    values = start_values(model.model_fn, model.resolved, {"a": 1.3, "t": 0.1}, None)
    assert values["a"] == 1.3 and values["t"] == 0.1
    defaults = parameterisation(model.resolved).latent_values(initial_values(model.resolved))
    assert set(defaults) <= set(values)
