"""plot_posterior_predictive draws exactly the data's and the draws' histograms."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import StepPatch

import hierax as hx
from hierax.plots.predictive import histogram_counts, mirrored


def _stairs(ax) -> dict[str, StepPatch]:
    return {p.get_label(): p for p in ax.patches if isinstance(p, StepPatch)}


def _obs_and_pred(data, idata):
    obs = mirrored(data[["rt", "response"]].to_numpy())
    pred = np.asarray(idata.posterior_predictive["rt,response"])
    return obs, mirrored(pred.reshape((-1,) + pred.shape[2:]))


def test_mirrored_signs_lower_responses():
    obs = np.array([[0.5, 1.0], [0.7, -1.0], [1.5, 1.0]])
    np.testing.assert_array_equal(mirrored(obs), [0.5, -0.7, 1.5])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_histogram_counts_equal_numpy(seed):
    rng = np.random.default_rng(seed)
    edges = np.linspace(-2.0, 2.0, 9)
    values = rng.normal(size=(4, 200))
    values[0, :3] = [-2.0, 2.0, 0.5]  # both outer edges and an inner edge
    values[1, :2] = [5.0, -5.0]  # outside: not counted
    expected = np.stack([np.histogram(row, edges)[0] for row in values])
    np.testing.assert_array_equal(histogram_counts(values, edges), expected)


def test_single_panel_counts_are_the_data_counts(ddm_model, ppc_idata, ddm_data):
    fig = hx.plot_posterior_predictive(ddm_model, ppc_idata)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    stairs = _stairs(ax)
    counts, edges, _ = stairs["observed"].get_data()
    obs, pred = _obs_and_pred(ddm_data, ppc_idata)
    np.testing.assert_array_equal(counts, np.histogram(obs, edges)[0])
    assert counts.sum() == len(ddm_data)  # no observed trial falls outside the bins
    assert edges[0] < 0 < edges[-1] and 0.0 in edges  # mirrored axis, 0 an edge
    mean, _, _ = stairs["predicted mean"].get_data()
    per_draw = np.stack([np.histogram(row, edges)[0] for row in pred])
    np.testing.assert_allclose(mean, per_draw.mean(axis=0))
    high, _, low = stairs["predicted 90% band"].get_data()
    np.testing.assert_allclose(low, np.quantile(per_draw, 0.05, axis=0))
    np.testing.assert_allclose(high, np.quantile(per_draw, 0.95, axis=0))
    plt.close(fig)


def test_one_panel_per_level_of_by(ddm_model, ppc_idata, ddm_data):
    fig = hx.plot_posterior_predictive(ddm_model, ppc_idata, by="stim")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in panels] == ["stim = easy", "stim = hard"]
    obs, _ = _obs_and_pred(ddm_data, ppc_idata)
    for ax, stim in zip(panels, ["easy", "hard"], strict=True):
        counts, edges, _ = _stairs(ax)["observed"].get_data()
        subset = obs[(ddm_data["stim"] == stim).to_numpy()]
        np.testing.assert_array_equal(counts, np.histogram(subset, edges)[0])
    plt.close(fig)


def test_draws_on_given_axes_and_never_shows(ddm_model, ppc_idata, monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show() was called"))
    fig, ax = plt.subplots()
    out = hx.plot_posterior_predictive(ddm_model, ppc_idata, ax=ax)
    assert out is fig and "observed" in _stairs(ax)
    plt.close(fig)


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_saves_to_path(ddm_model, ppc_idata, tmp_path, suffix, magic):
    path = tmp_path / "sub" / f"ppc{suffix}"
    fig = hx.plot_posterior_predictive(ddm_model, ppc_idata, path=path)
    assert path.read_bytes().startswith(magic)
    plt.close(fig)


def test_errors_name_the_culprit(ddm_model, ppc_idata):
    with pytest.raises(ValueError, match="'condition'.*columns are: rt, response, stim"):
        hx.plot_posterior_predictive(ddm_model, ppc_idata, by="condition")
    with pytest.raises(ValueError, match="ppc.jpg"):
        hx.plot_posterior_predictive(ddm_model, ppc_idata, path="ppc.jpg")
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="by=.*ax="):
        hx.plot_posterior_predictive(ddm_model, ppc_idata, by="stim", ax=ax)
    plt.close("all")


def test_no_samples_says_what_to_do(ddm_data):
    model = hx.Model(ddm_data, p_outlier=None)
    with pytest.raises(ValueError, match=r"model.sample\(\)"):
        hx.plot_posterior_predictive(model)


def test_missing_predictive_group_is_sampled_first(ddm_model, ppc_idata, monkeypatch):
    without = ppc_idata.copy()
    del without.posterior_predictive
    calls = []

    def fake_sampler(idata=None, draws=None):
        calls.append(draws)
        idata.add_groups(posterior_predictive=ppc_idata.posterior_predictive)
        return idata

    monkeypatch.setattr(ddm_model, "sample_posterior_predictive", fake_sampler, raising=False)
    fig = hx.plot_posterior_predictive(ddm_model, without)
    assert len(calls) == 1 and calls[0] > 0
    assert "posterior_predictive" in without.groups()
    plt.close(fig)


def test_generic_family_shows_the_variable():
    import arviz as az

    df = pd.DataFrame({"y": [10.0, 12, 9, 11, 8], "group": [0, 0, 1, 1, 2]})
    model = hx.Model(df, model="normal", response="y")
    pred = np.random.default_rng(0).normal(10.0, 1.5, size=(1, 40, 5))
    idata = az.from_dict(posterior={"mu": np.full((1, 40), 10.0)}, posterior_predictive={"y": pred})
    fig = hx.plot_posterior_predictive(model, idata)
    counts, edges, _ = _stairs(fig.axes[0])["observed"].get_data()
    np.testing.assert_array_equal(counts, np.histogram(df["y"], edges)[0])
    assert fig.axes[0].get_xlabel() == "y"
    plt.close(fig)
