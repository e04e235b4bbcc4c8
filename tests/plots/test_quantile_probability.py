"""Quantile-probability table and plot: numbers equal numpy's quantiles and proportions."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import hierax as hx
from hierax.plots import QUANTILES, quantile_probability_table


def _observed_line(ax):
    return next(line for line in ax.get_lines() if line.get_label() == "observed")


def test_table_equals_numpy(ddm_data):
    table = quantile_probability_table(ddm_data["rt"], ddm_data["response"], ddm_data["stim"])
    assert len(table) == 2 * 2 * len(QUANTILES)
    for (stim, label), rows in table.groupby(["cond", "response"]):
        in_cond = ddm_data["stim"] == stim
        chosen = in_cond & (ddm_data["response"] == (1.0 if label == "upper" else -1.0))
        assert np.allclose(rows["p"], chosen.sum() / in_cond.sum())
        np.testing.assert_allclose(rows["rt"], np.quantile(ddm_data.loc[chosen, "rt"], QUANTILES))
    p = table.drop_duplicates(["cond", "response"]).groupby("cond")["p"].sum()
    np.testing.assert_allclose(p, 1.0)


def test_missing_response_gives_nan_quantiles():
    table = quantile_probability_table(np.array([0.5, 0.6]), np.array([1.0, 1.0]))
    lower = table[table["response"] == "lower"]
    assert (lower["p"] == 0).all() and lower["rt"].isna().all() and lower["cond"].isna().all()


def test_plot_shows_observed_and_predicted_values(ddm_model, ppc_idata, ddm_data):
    fig = hx.plot_quantile_probability(ddm_model, ppc_idata, cond="stim")
    ax = fig.axes[0]
    table = quantile_probability_table(ddm_data["rt"], ddm_data["response"], ddm_data["stim"])
    drawn = {tuple(np.round(xy, 12)) for xy in _observed_line(ax).get_xydata()}
    expected = {tuple(np.round(xy, 12)) for xy in table[["p", "rt"]].to_numpy()}
    assert drawn == expected
    # The predicted median line for the "easy" upper response: mean over draws.
    pred = np.asarray(ppc_idata.posterior_predictive["rt,response"]).reshape(-1, len(ddm_data), 2)
    easy = (ddm_data["stim"] == "easy").to_numpy()
    rt, resp = pred[:, easy, 0], pred[:, easy, 1]
    p_mean = (resp == 1).mean(axis=1).mean()
    median = np.mean([np.median(r[s == 1]) for r, s in zip(rt, resp, strict=True)])
    predicted_points = np.concatenate(
        [line.get_xydata() for line in ax.get_lines() if line.get_marker() == "x"]
    )
    assert np.isclose(predicted_points, [p_mean, median]).all(axis=1).any()
    assert {t.get_text() for t in ax.texts} == {
        "easy upper",
        "easy lower",
        "hard upper",
        "hard lower",
    }
    plt.close(fig)


def test_data_only_and_all_trials(ddm_model, ddm_data, tmp_path):
    path = tmp_path / "qp.svg"
    fig = hx.plot_quantile_probability(ddm_model, cond=None, predictive=False, path=path)
    points = _observed_line(fig.axes[0]).get_xydata()
    assert len(points) == 2 * len(QUANTILES)
    upper = ddm_data["response"] == 1
    assert np.isclose(points[:, 0], upper.mean()).sum() == len(QUANTILES)
    assert path.read_text().lstrip().startswith("<?xml")
    plt.close(fig)


def test_quantile_probability_needs_an_ssm():
    import pandas as pd

    model = hx.Model(pd.DataFrame({"y": [1.0, 2.0, 3.0]}), model="normal", response="y")
    with pytest.raises(ValueError, match="'normal' has no response times"):
        hx.plot_quantile_probability(model, predictive=False)
