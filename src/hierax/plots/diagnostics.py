"""Trace, posterior and forest plots: ArviZ's, on hierax's variable names.

By default the non-centred ``*_offset`` sites and per-observation values are
left out, so the plots show the parameters a user wrote in the formulas.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import arviz as az
import numpy as np
from matplotlib.figure import Figure

from hierax.plots._common import PathLike, as_list, default_var_names, finish, traces_of

if TYPE_CHECKING:
    from hierax.model import Model

__all__ = ["plot_forest", "plot_posterior", "plot_trace"]


def _figure_of(axes: Any) -> Figure:
    first = np.ravel(np.asarray(axes, dtype=object))[0]
    return first.get_figure(root=True) if hasattr(first, "get_figure") else first.figure


def _delegate(
    plot: Callable[..., Any],
    source: az.InferenceData | Model,
    var_names: str | Sequence[str] | None,
    path: PathLike | None,
    kwargs: dict[str, Any],
) -> Figure:
    if isinstance(source, az.InferenceData):
        idata = source
    else:
        idata = traces_of(source, None)
    if "posterior" not in idata.groups():
        raise ValueError("The InferenceData has no posterior group; sample the model first.")
    names = as_list(var_names) or default_var_names(idata)
    missing = [n for n in names if n.lstrip("~") not in idata.posterior]
    if missing and not kwargs.get("filter_vars"):
        raise ValueError(
            f"No posterior variable(s) {', '.join(map(repr, missing))}; the variables are: "
            f"{', '.join(default_var_names(idata))}."
        )
    fig = _figure_of(plot(idata, var_names=names, **kwargs))
    if fig.get_layout_engine() is None:
        fig.tight_layout()  # ArviZ leaves titles overlapping the tick labels above them
    return finish(fig, path)


def plot_trace(
    idata: az.InferenceData | Model,
    var_names: str | Sequence[str] | None = None,
    path: PathLike | None = None,
    **kwargs: Any,
) -> Figure:
    """Trace plot (density and draws per chain) of posterior variables, via ``arviz.plot_trace``.

    Parameters
    ----------
    idata
        An InferenceData with a posterior, or a fitted :class:`~hierax.Model`.
    var_names
        Variables to show; default every posterior variable except the
        ``*_offset`` sites of non-centred terms and per-observation values.
    path
        Save the figure there (``.png``, ``.svg`` or ``.pdf``).
    **kwargs
        Passed to :func:`arviz.plot_trace` (e.g. ``compact=False``).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import arviz as az, numpy as np
    >>> rng = np.random.default_rng(0)
    >>> idata = az.from_dict(posterior={"v_Intercept": rng.normal(size=(2, 50)),
    ...                                 "v_1|g_offset": rng.normal(size=(2, 50, 3))})
    >>> fig = plot_trace(idata)
    >>> [ax.get_title() for ax in fig.axes]
    ['v_Intercept', 'v_Intercept']
    """
    return _delegate(az.plot_trace, idata, var_names, path, kwargs)


def plot_posterior(
    idata: az.InferenceData | Model,
    var_names: str | Sequence[str] | None = None,
    path: PathLike | None = None,
    **kwargs: Any,
) -> Figure:
    """Marginal posterior densities with HDI and mean, via ``arviz.plot_posterior``.

    Parameters
    ----------
    idata
        An InferenceData with a posterior, or a fitted :class:`~hierax.Model`.
    var_names
        Variables to show; default as in :func:`plot_trace`.
    path
        Save the figure there (``.png``, ``.svg`` or ``.pdf``).
    **kwargs
        Passed to :func:`arviz.plot_posterior` (e.g. ``ref_val=0``).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import arviz as az, numpy as np
    >>> idata = az.from_dict(posterior={"a": np.random.default_rng(0).gamma(9, 0.1, (2, 50))})
    >>> plot_posterior(idata).axes[0].get_title()
    'a'
    """
    return _delegate(az.plot_posterior, idata, var_names, path, kwargs)


def plot_forest(
    idata: az.InferenceData | Model,
    var_names: str | Sequence[str] | None = None,
    path: PathLike | None = None,
    **kwargs: Any,
) -> Figure:
    """Forest plot: posterior intervals of many parameters on one axis, via ``arviz.plot_forest``.

    Good for group-specific terms, e.g. ``var_names="v_1|participant_id"``.

    Parameters
    ----------
    idata
        An InferenceData with a posterior, or a fitted :class:`~hierax.Model`.
    var_names
        Variables to show; default as in :func:`plot_trace`.
    path
        Save the figure there (``.png``, ``.svg`` or ``.pdf``).
    **kwargs
        Passed to :func:`arviz.plot_forest` (e.g. ``combined=True``).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import arviz as az, numpy as np
    >>> idata = az.from_dict(posterior={"v": np.random.default_rng(0).normal(size=(2, 50, 3))})
    >>> fig = plot_forest(idata, combined=True)
    >>> len(fig.axes[0].get_yticklabels())
    3
    """
    return _delegate(az.plot_forest, idata, var_names, path, kwargs)
