"""Trace, posterior and forest plots: ArviZ on hierax's names, without offset sites."""

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

import hierax as hx
from hierax.plots._common import default_var_names


def test_default_var_names_skip_offsets(ppc_idata):
    assert default_var_names(ppc_idata) == ["v_C(stim)", "a"]


def test_trace_plot_shows_the_parameters(ppc_idata, tmp_path):
    path = tmp_path / "trace.png"
    fig = hx.plot_trace(ppc_idata, path=path)
    assert isinstance(fig, Figure)
    titles = {ax.get_title() for ax in fig.axes}
    assert titles == {"v_C(stim)", "a"}
    assert path.read_bytes().startswith(b"\x89PNG")
    plt.close(fig)


def test_posterior_and_forest_plots(ppc_idata):
    fig = hx.plot_posterior(ppc_idata, var_names="a")
    assert [ax.get_title() for ax in fig.axes] == ["a"]
    plt.close(fig)
    fig = hx.plot_forest(ppc_idata, var_names=["v_C(stim)"], combined=True)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert sorted(labels) == ["[1]", "v_C(stim)[0]"]  # ArviZ names the second row by index
    plt.close(fig)


def test_unknown_variable_lists_the_variables(ppc_idata):
    with pytest.raises(ValueError, match=r"'b_Intercept'.*v_C\(stim\), a"):
        hx.plot_trace(ppc_idata, var_names=["b_Intercept"])


def test_model_without_samples(ddm_model):
    with pytest.raises(ValueError, match=r"model.sample\(\)"):
        hx.plot_trace(ddm_model)
