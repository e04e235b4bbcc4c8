"""Posterior / prior predictive simulation and predictions for new data."""

import arviz as az
import numpy as np
import pandas as pd
import pytest

import hierax as hx


def test_posterior_predictive_matches_the_data(fitted, ddm_data):
    idata = fitted.sample_posterior_predictive(draws=100, seed=0)
    pp = idata.posterior_predictive["rt,response"]
    assert pp.dims == ("chain", "draw", "__obs__", "rt,response_extra_dim_0")
    assert pp.shape == (2, 50, len(ddm_data), 2)
    assert set(np.unique(pp.values[..., 1])) == {-1.0, 1.0}
    rt, upper = pp.values[..., 0], pp.values[..., 1] > 0
    for simulated, observed in [
        (rt.mean(axis=-1), ddm_data["rt"].mean()),
        (upper.mean(axis=-1), (ddm_data["response"] > 0).mean()),
    ]:
        # the observed statistic lies inside the bulk of its posterior predictive distribution
        assert abs(observed - simulated.mean()) < 3 * simulated.std()
        assert 0.01 < (simulated < observed).mean() < 0.99


def test_posterior_predictive_is_reproducible(fitted):
    first = fitted.sample_posterior_predictive(draws=4, seed=5).posterior_predictive.copy()
    second = fitted.sample_posterior_predictive(draws=4, seed=5).posterior_predictive
    np.testing.assert_array_equal(first["rt,response"].values, second["rt,response"].values)


def test_lapse_mixture_in_predictive(ddm_data):
    """With p_outlier = 0.3 and lapse rt ~ Uniform(0, 20), P(rt > 5) is 0.3 * 0.75."""
    n = 2000
    data = pd.DataFrame({"rt": np.ones(n), "response": np.ones(n)})
    model = hx.Model(data, p_outlier=0.3)
    idata = az.from_dict(
        posterior={
            "v": np.zeros((1, 2)),
            "a": np.ones((1, 2)),
            "z": np.full((1, 2), 0.5),
            "t": np.full((1, 2), 0.3),
        }
    )
    rt = model.sample_posterior_predictive(idata, seed=0).posterior_predictive["rt,response"][
        ..., 0
    ]
    share = float((rt > 5).mean())
    assert abs(share - 0.225) < 4 * np.sqrt(0.225 * 0.775 / (2 * n))
    assert float((rt < 0.3).mean()) > 0.0  # lapses can be faster than t


def test_prior_predictive(fitted, ddm_data):
    idata = fitted.sample_prior_predictive(draws=20, seed=0)
    assert {"prior", "prior_predictive", "observed_data"} <= set(idata.groups())
    assert set(idata.prior.data_vars) == set(fitted.traces.posterior.data_vars)
    assert idata.prior["v_1|participant_id"].dims == ("chain", "draw", "participant_id")
    assert idata.prior_predictive["rt,response"].shape == (1, 20, len(ddm_data), 2)
    assert "prior" in fitted.traces.groups()


def test_predict_new_covariates_and_new_participant(fitted):
    new = pd.DataFrame({"x": [0.0, 2.0, 2.0], "participant_id": [1, 1, 99]})
    pred = fitted.predict(new, seed=0)
    post = fitted.traces.posterior
    assert set(pred.data_vars) == {"v", "a", "z", "t"}
    assert pred["v"].dims == ("chain", "draw", "__obs__") and pred["v"].shape == (2, 150, 3)
    expected = (
        post["v_Intercept"] + 2.0 * post["v_x"] + post["v_1|participant_id"].sel(participant_id=1)
    )
    np.testing.assert_allclose(pred["v"].values[:, :, 1], expected.values)
    np.testing.assert_allclose(pred["a"].values[:, :, 0], post["a"].values)
    # the unseen participant: a fresh effect per draw, with the group scale's spread
    effect = pred["v"].values[:, :, 2] - (post["v_Intercept"] + 2.0 * post["v_x"]).values
    assert np.unique(effect).size == effect.size
    ratio = effect / post["v_1|participant_id_sigma"].values
    assert abs(ratio.std() - 1.0) < 0.15 and abs(ratio.mean()) < 0.15


def test_predict_errors(fitted):
    with pytest.raises(ValueError, match="lacks column 'x'"):
        fitted.predict(pd.DataFrame({"participant_id": [0]}))
    with pytest.raises(ValueError, match="no samples yet"):
        hx.Model(fitted.data, p_outlier=None).predict(fitted.data)
