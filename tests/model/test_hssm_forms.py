"""HSSM's names and forms accepted as they are: ``hssm.HSSM``, ``find_MAP``/``map``,
``vi(niter=)``/``vi_idata``, ``initvals``, ``restore_traces``, ``sample_do``,
``graph``, and ``simulate_data`` with theta as a list, an array or a DataFrame."""

import arviz as az
import numpy as np
import pandas as pd
import pytest

import hierax as hssm  # the only change an HSSM script needs

THETA = {"v": 0.8, "a": 1.0, "z": 0.5, "t": 0.3}


@pytest.fixture(scope="module")
def data():
    frames = [
        hssm.simulate_data("ddm", {**THETA, "v": v}, size=80, seed=j).assign(participant_id=j)
        for j, v in enumerate([0.5, 0.8, 1.1])
    ]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def model(data):
    return hssm.HSSM(
        data, include=[{"name": "v", "formula": "v ~ 1 + (1|participant_id)"}], p_outlier=None
    )


def test_hssm_is_the_model(model):
    assert hssm.HSSM is hssm.Model and isinstance(model, hssm.Model)


def test_simulate_data_takes_hssm_theta_forms():
    expected = hssm.simulate_data("ddm", THETA, size=20, seed=3)
    as_list = hssm.simulate_data("ddm", [0.8, 1.0, 0.5, 0.3], size=20, seed=3)
    pd.testing.assert_frame_equal(as_list, expected)
    rows = np.array([[0.8, 1.0, 0.5, 0.3], [-0.8, 1.0, 0.5, 0.3]])
    per_trial = hssm.simulate_data("ddm", rows, size=10, seed=3)
    frame = hssm.simulate_data("ddm", pd.DataFrame(rows, columns=list("vazt")), size=10, seed=3)
    pd.testing.assert_frame_equal(per_trial, frame)
    assert len(per_trial) == 20
    # The LBA's t and s have defaults: HSSM's five values are enough.
    assert len(hssm.simulate_data("lba3", [0.3, 0.8, 1.0, 0.6, 0.7], size=5)) == 5
    with pytest.raises(ValueError, match=r"in its order \(v, a, z, t\); got shape \(6,\)"):
        hssm.simulate_data("ddm", [1, 2, 3, 4, 5, 6])


def test_find_map_keeps_the_estimates(model):
    with pytest.raises(ValueError, match="call model.find_MAP"):
        _ = model.map
    estimates = model.find_MAP(steps=300, progress=False)
    assert model.map is estimates and "v_Intercept" in estimates


def test_vi_takes_niter_and_keeps_vi_idata(model):
    idata = model.vi(niter=200, draws=20, seed=0, progress=False)
    assert model.vi_idata is idata
    assert idata["vi"]["loss"].shape == (200,)


@pytest.fixture(scope="module")
def fitted(model):
    """A short NUTS run started from ``model.initvals``, HSSM's dict of initial values."""
    values = model.initvals
    assert "v_1|participant_id_offset" in values or "v_1|participant_id_level" in values
    assert values["t"] < 0.3  # below the fastest response
    return model.sample(
        draws=20, tune=20, chains=1, seed=0, progress=False, diagnose=False, initvals=values
    )


def test_restore_traces_from_a_file(model, fitted, tmp_path):
    path = tmp_path / "traces.nc"
    az.to_netcdf(fitted, path)
    model.traces = None
    model.restore_traces(str(path))
    np.testing.assert_allclose(model.traces.posterior["a"], fitted.posterior["a"])
    other = hssm.Model(hssm.simulate_data("ddm", THETA, size=30, seed=0), model="ddm_sdv")
    with pytest.raises(ValueError, match="lacks the site.*sv"):
        other.restore_traces(fitted)


def test_sample_do_fixes_a_site(model):
    fast = model.sample_do({"v_Intercept": 3.0, "a": 0.6}, draws=40, seed=0)
    assert np.all(fast.prior["v_Intercept"].values == 3.0)
    upper = (fast.prior_predictive["rt,response"].values[..., 1] > 0).mean()
    assert upper > 0.85  # a strong drift towards the upper boundary
    with pytest.raises(ValueError, match="no sampled site 'v_intercept'"):
        model.sample_do({"v_intercept": 1.0})


def test_graph_needs_graphviz_or_says_so(model):
    try:
        import graphviz  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install graphviz"):
            model.graph()
    else:
        assert "v_Intercept" in model.graph().source


def test_posterior_predictive_of_kind_response_params(model, fitted):
    model.sample_posterior_predictive(fitted, kind="response_params")
    v = fitted.posterior["v"]
    assert v.dims == ("chain", "draw", "__obs__") and v.shape[-1] == model.n_obs
    expected = fitted.posterior["v_Intercept"] + fitted.posterior["v_1|participant_id"].isel(
        participant_id=0
    )
    np.testing.assert_allclose(v.values[..., 0], expected.values)  # row 0: participant 0
    with pytest.raises(ValueError, match="kind must be"):
        model.sample_posterior_predictive(fitted, kind="params")
