"""What every plot needs: the model's draws and data as arrays, and saving a figure.

The plot modules turn a :class:`~hierax.Model` and its InferenceData into
plain NumPy arrays here, then draw from arrays only.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import arviz as az
import numpy as np
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from hierax.model import Model

__all__ = [
    "AUTO_PPC_DRAWS",
    "MAX_PLOT_DRAWS",
    "SAVE_FORMATS",
    "as_list",
    "condition_values",
    "default_var_names",
    "finish",
    "levels_of",
    "observed",
    "panel_grid",
    "predicted",
    "traces_of",
]

SAVE_FORMATS = (".png", ".svg", ".pdf")
"""File types :func:`finish` writes, chosen by the path's suffix."""

# Resolution of saved PNGs: sharp on a laptop screen, small on disk.
_DPI = 120

# Posterior-predictive draws used by a plot. The plots summarise counts and
# quantiles over draws; beyond a few hundred draws the picture no longer
# changes, while memory grows with draws x observations.
MAX_PLOT_DRAWS = 500

# Draws asked of ``model.sample_posterior_predictive`` when a plot needs a
# posterior_predictive group that the InferenceData does not have yet.
AUTO_PPC_DRAWS = 100

PathLike = str | os.PathLike


def finish(fig: Figure, path: PathLike | None) -> Figure:
    """Save ``fig`` to ``path`` (PNG, SVG or PDF by suffix) when a path is given; return it."""
    if path is not None:
        path = Path(path)
        if path.suffix.lower() not in SAVE_FORMATS:
            raise ValueError(
                f"path {str(path)!r} must end in one of {', '.join(SAVE_FORMATS)}; the suffix "
                "chooses the file type."
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=_DPI, bbox_inches="tight")
    return fig


def traces_of(model: Model | None, idata: az.InferenceData | None) -> az.InferenceData:
    """``idata``, else the model's ``traces``; a clear error when neither exists."""
    if idata is not None:
        return idata
    if model is not None and getattr(model, "traces", None) is not None:
        return model.traces
    raise ValueError("There are no samples to plot: call model.sample() first or pass idata=.")


def default_var_names(idata: az.InferenceData) -> list[str]:
    """Posterior variables worth plotting: no ``*_offset`` sites, no per-observation values."""
    names = []
    for name, values in idata.posterior.data_vars.items():
        if name.endswith("_offset") or "__obs__" in values.dims:
            continue
        names.append(str(name))
    return names


def observed(model: Model) -> np.ndarray:
    """The model's observations: (n, 2) rt/response rows (responses 1 / -1), or (n,)."""
    return np.asarray(model.resolved.arrays["obs"])


def predicted(model: Model, idata: az.InferenceData | None) -> np.ndarray:
    """Posterior-predictive draws flattened over chains: shape (draws, n_obs[, 2]).

    At most :data:`MAX_PLOT_DRAWS` draws, evenly spaced. If ``idata`` has no
    ``posterior_predictive`` group, ``model.sample_posterior_predictive`` is
    asked for :data:`AUTO_PPC_DRAWS` draws first (which adds the group).
    """
    idata = traces_of(model, idata)
    if "posterior_predictive" not in idata.groups():
        sampler = getattr(model, "sample_posterior_predictive", None)
        if sampler is None:
            raise ValueError(
                "The InferenceData has no posterior_predictive group; call "
                "model.sample_posterior_predictive() first."
            )
        result = sampler(idata=idata, draws=AUTO_PPC_DRAWS)
        if isinstance(result, az.InferenceData):
            idata = result
    site = model.resolved.obs_site
    group = idata.posterior_predictive
    if site not in group:
        raise ValueError(
            f"The posterior_predictive group has no variable {site!r}; it has "
            f"{', '.join(map(str, group.data_vars))}."
        )
    values = np.asarray(group[site])
    values = values.reshape((-1,) + values.shape[2:])
    if values.shape[1] != model.n_obs:
        raise ValueError(
            f"The posterior predictive has {values.shape[1]} observations per draw but the model "
            f"has {model.n_obs}; was it sampled from this model's data?"
        )
    if len(values) > MAX_PLOT_DRAWS:
        keep = np.linspace(0, len(values) - 1, MAX_PLOT_DRAWS).round().astype(int)
        values = values[keep]
    return values


def condition_values(model: Model, column: str | None) -> np.ndarray | None:
    """The values of data column ``column``, one per observation (None for None)."""
    if column is None:
        return None
    data = model.data
    if column not in data.columns:
        raise ValueError(
            f"Column {column!r} is not in the model's data; columns are: "
            f"{', '.join(map(str, data.columns))}."
        )
    return data[column].to_numpy()


def levels_of(values: np.ndarray) -> list[Any]:
    """Sorted distinct values of a condition column (as they appear, if unsortable)."""
    unique = list(dict.fromkeys(values.tolist()))
    try:
        return sorted(unique)
    except TypeError:
        return unique


def panel_grid(n: int, max_cols: int = 3) -> tuple[int, int]:
    """Rows and columns of a grid with ``n`` panels, at most ``max_cols`` wide."""
    cols = min(n, max_cols)
    return -(-n // cols), cols


def as_list(names: str | Sequence[str] | None) -> list[str] | None:
    """A single name or a sequence of names as a list (None stays None)."""
    if names is None:
        return None
    return [names] if isinstance(names, str) else list(names)
