"""The InferenceData of a NUTS fit: every group, with the right dims and coords."""

import arviz as az
import numpy as np


def test_groups_dims_and_coords(fitted, ddm_data):
    idata = fitted.traces
    assert set(idata.groups()) == {
        "posterior",
        "sample_stats",
        "log_likelihood",
        "observed_data",
        "constant_data",
    }
    n = len(ddm_data)
    post = idata.posterior
    assert post.sizes["chain"] == 2 and post.sizes["draw"] == 150
    assert post["v_1|participant_id"].dims == ("chain", "draw", "participant_id")
    assert list(post["participant_id"].values) == [0, 1, 2]
    assert post["v_x"].dims == ("chain", "draw")
    assert {"diverging", "tree_depth", "energy", "step_size", "acceptance_rate", "lp"} <= set(
        idata.sample_stats.data_vars
    )
    assert idata.sample_stats["diverging"].dtype == bool
    assert idata.log_likelihood["rt,response"].dims == ("chain", "draw", "__obs__")
    assert idata.log_likelihood["rt,response"].shape == (2, 150, n)
    assert np.isfinite(idata.log_likelihood["rt,response"]).all()
    obs = idata.observed_data["rt,response"]
    assert obs.dims == ("__obs__", "rt,response_extra_dim_0") and obs.shape == (n, 2)
    np.testing.assert_array_equal(obs.values[:, 0], ddm_data["rt"])
    assert set(idata.constant_data.data_vars) == {"x", "participant_id"}
    np.testing.assert_array_equal(idata.constant_data["x"].values, ddm_data["x"])


def test_loo_and_waic_run(fitted):
    loo = az.loo(fitted.traces, pointwise=True)
    assert loo.loo_i.shape == (len(fitted.data),) and np.isfinite(loo.elpd_loo)
    assert np.isfinite(az.waic(fitted.traces).elpd_waic)


def test_log_likelihood_float32(fitted):
    from hierax.results.idata import from_samples

    samples = {
        k: fitted.traces.posterior[k].values[:, :10] for k in fitted.traces.posterior.data_vars
    }
    idata = from_samples(samples, fitted.model_fn, fitted.resolved, log_likelihood="float32")
    loglik = idata.log_likelihood["rt,response"]
    assert loglik.dtype == np.float32
    np.testing.assert_allclose(
        loglik.values, fitted.traces.log_likelihood["rt,response"].values[:, :10], rtol=1e-5
    )
