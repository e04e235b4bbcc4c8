"""ADVI and MAP on a model with a known posterior (normal mean, known-ish scale)."""

import numpy as np
import pandas as pd
import pytest

import hierax as hx


@pytest.fixture(scope="module")
def model():
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"y": rng.normal(3.0, 0.5, 200), "g": np.repeat(["a", "b"], 100)})
    return hx.Model(
        df, model="normal", response="y", include=[{"name": "mu", "formula": "mu ~ 1 + C(g)"}]
    )


@pytest.mark.parametrize("method", ["advi", "fullrank_advi"])
def test_vi_recovers_the_posterior_and_keeps_the_names(model, method):
    idata = model.vi(
        method=method, steps=3000, draws=500, seed=0, progress=False, learning_rate=0.05
    )
    y, g = model.data["y"].to_numpy(), model.data["g"].to_numpy()
    post = idata.posterior
    assert set(post.data_vars) == {"mu_Intercept", "mu_C(g)", "sigma"}
    assert post["mu_C(g)"].dims == ("chain", "draw", "mu_C(g)_dim")
    assert post.sizes == {"chain": 1, "draw": 500, "mu_C(g)_dim": 1}
    assert abs(float(post["mu_Intercept"].mean()) - y[g == "a"].mean()) < 0.05
    assert abs(float(post["mu_Intercept"].std()) - 0.5 / 10) < 0.02
    assert idata.vi["loss"].sizes == {"step": 3000}
    assert idata.vi.attrs["method"] == method
    assert idata.log_likelihood["y"].shape == (1, 500, 200)
    assert model.traces is idata


def test_vi_bad_method(model):
    with pytest.raises(ValueError, match="method must be one of"):
        model.vi(method="nuts")


def test_find_map(model):
    est = model.find_map(steps=3000, learning_rate=0.05, progress=False)
    y, g = model.data["y"].to_numpy(), model.data["g"].to_numpy()
    assert set(est) == {"mu_Intercept", "mu_C(g)", "sigma"}
    assert est["mu_C(g)"].shape == (1,)
    np.testing.assert_allclose(est["mu_Intercept"], y[g == "a"].mean(), atol=0.01)
    np.testing.assert_allclose(
        est["mu_C(g)"][0], y[g == "b"].mean() - y[g == "a"].mean(), atol=0.02
    )


def test_find_map_warns_when_not_converged(model):
    with pytest.warns(UserWarning, match="not converged"):
        model.find_map(
            steps=20, learning_rate=1e-3, progress=False, initvals={"mu_Intercept": -20.0}
        )
