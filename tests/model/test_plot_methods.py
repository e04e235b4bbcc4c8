"""Model.plot_* delegate to the plotting functions and return their Figures."""

import numpy as np
import pandas as pd

import hierax as hx


def test_model_plot_methods_return_figures_with_the_data():
    df = pd.DataFrame({"y": [10.0, 12.0, 9.0, 11.0, 8.0], "g": [0, 0, 1, 1, 2]})
    model = hx.Model(df, model="normal", response="y")
    model.sample(draws=60, tune=60, chains=1, seed=0, progress=False, diagnose=False)
    fig = model.plot_posterior_predictive(bins=5)
    observed = next(p for p in fig.axes[0].patches if p.get_label() == "observed")
    counts, _, _ = observed.get_data()
    assert counts.sum() == len(df)  # every observation counted once
    trace = model.plot_trace(var_names=["mu"])
    assert {ax.get_title() for ax in trace.axes} >= {"mu"}
    assert np.isfinite(model.traces.posterior["mu"].values).all()
