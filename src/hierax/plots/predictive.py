"""Posterior predictive check: observed against predicted response-time distributions.

For two-choice models of rt the two responses share one axis: upper-boundary
(the larger code's) responses at ``+rt`` and the others at ``-rt`` (the
"mirrored" or "defective" distribution), so one picture shows both the
response proportions and the shapes of the two time distributions. Models with
more choices get one panel per choice (the rt of the trials ending in it, so
the areas show the choice proportions); choice-only models a bar per choice;
generic families the observed variable itself.

Heights are trial counts per bin: the observed counts, and for the
prediction the mean count over posterior-predictive draws (each draw is a
replicate data set of the same size) with a 90% band over draws.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import arviz as az
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from hierax.plots._common import (
    PathLike,
    condition_values,
    finish,
    levels_of,
    observed,
    panel_grid,
    predicted,
)

if TYPE_CHECKING:
    from hierax.model import Model

__all__ = ["histogram_counts", "mirrored", "plot_posterior_predictive"]

# Bins of the histogram; even, so that 0 is an edge of the mirrored plot.
DEFAULT_BINS = 40
# The band drawn around the mean predicted count: central 90% over draws.
BAND = (0.05, 0.95)


def mirrored(obs: np.ndarray, upper: float = 1.0) -> np.ndarray:
    """Response times signed by response: ``rt`` for the ``upper`` code, ``-rt`` otherwise.

    Parameters
    ----------
    obs
        Array of shape ``(..., 2)`` with rt in ``[..., 0]`` and response in ``[..., 1]``.
    upper
        The response code drawn at ``+rt`` (1 for the DDM).

    Examples
    --------
    >>> import numpy as np
    >>> mirrored(np.array([[0.5, 1.0], [0.7, -1.0]])).tolist()
    [0.5, -0.7]
    """
    obs = np.asarray(obs, dtype=float)
    return np.where(obs[..., 1] == upper, obs[..., 0], -obs[..., 0])


def histogram_counts(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Counts per bin along the last axis, exactly as :func:`numpy.histogram` bins.

    Bins are half-open ``[e_i, e_{i+1})`` except the last, which is closed;
    values outside the edges (or NaN) are not counted.

    Parameters
    ----------
    values
        Shape ``(..., n)``.
    edges
        Increasing bin edges, shape ``(k + 1,)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(..., k)``, integer counts.

    Examples
    --------
    >>> import numpy as np
    >>> histogram_counts(np.array([[0.1, 0.6, 1.0], [0.2, 0.3, 2.0]]), np.array([0.0, 0.5, 1.0]))
    array([[1, 2],
           [2, 0]])
    """
    values = np.asarray(values, dtype=float)
    edges = np.asarray(edges, dtype=float)
    k = len(edges) - 1
    rows = values.reshape(-1, values.shape[-1])
    index = np.searchsorted(edges, rows, side="right") - 1
    index = np.where(rows == edges[-1], k - 1, index)
    valid = (index >= 0) & (index < k) & np.isfinite(rows)
    flat = index + k * np.arange(len(rows))[:, None]
    counts = np.bincount(flat[valid], minlength=k * len(rows))
    return counts.reshape(values.shape[:-1] + (k,))


def _edges(values: np.ndarray, bins: int, symmetric: bool) -> np.ndarray:
    if symmetric:
        half = np.linspace(0.0, float(np.max(np.abs(values))) * 1.02, bins // 2 + 1)
        return np.concatenate([-half[:0:-1], half])
    return np.histogram_bin_edges(values, bins=bins)


def _draw_panel(ax: Axes, obs: np.ndarray, pred: np.ndarray, edges: np.ndarray, mode: str) -> None:
    counts = histogram_counts(obs, edges)
    pred_counts = histogram_counts(pred, edges)
    if mode == "choice":
        _draw_bars(ax, counts, pred_counts, edges)
        return
    low, high = np.quantile(pred_counts, BAND, axis=0)
    ax.stairs(counts, edges, fill=True, color="0.75", label="observed")
    ax.stairs(
        high,
        edges,
        baseline=low,
        fill=True,
        color="C0",
        alpha=0.25,
        label=f"predicted {round(100 * (BAND[1] - BAND[0]))}% band",
    )
    ax.stairs(pred_counts.mean(axis=0), edges, color="C0", linewidth=1.8, label="predicted mean")
    if mode == "mirrored":
        ax.axvline(0.0, color="0.3", linewidth=0.8)
        ax.set_xlabel("response time (s); lower-boundary responses as negative")
    elif mode == "per_choice":
        ax.set_xlabel("response time (s)")
    ax.set_ylabel("trials per bin")


def _draw_bars(ax: Axes, counts: np.ndarray, pred_counts: np.ndarray, edges: np.ndarray) -> None:
    centres = 0.5 * (edges[:-1] + edges[1:])
    low, high = np.quantile(pred_counts, BAND, axis=0)
    mean = pred_counts.mean(axis=0)
    ax.bar(centres, counts, width=0.6, color="0.75", label="observed")
    ax.errorbar(
        centres,
        mean,
        yerr=[mean - low, high - mean],
        fmt="o",
        color="C0",
        label=f"predicted mean, {round(100 * (BAND[1] - BAND[0]))}% band",
    )
    ax.set_xticks(centres)
    ax.set_ylabel("trials")


def _mode(model: Model) -> str:
    family = model.family
    if family.kind == "rt_choice":
        return "mirrored" if family.n_choices == 2 else "per_choice"
    return family.kind


def plot_posterior_predictive(
    model: Model,
    idata: az.InferenceData | None = None,
    by: str | None = None,
    ax: Axes | None = None,
    path: PathLike | None = None,
    *,
    bins: int = DEFAULT_BINS,
) -> Figure:
    """Plot observed and posterior-predictive distributions of the data.

    For two-choice models of rt the response times of lower-boundary responses
    are drawn as negative values (the mirrored plot); with more choices there
    is one panel per choice (and per level of ``by``); choice-only models get a
    bar per choice; other families show the observed variable. Bars: observed
    trial counts per bin. Line: mean predicted
    count per bin over posterior-predictive draws; band: their central 90%.

    Parameters
    ----------
    model
        A fitted :class:`~hierax.Model`.
    idata
        InferenceData with a ``posterior_predictive`` group (default
        ``model.traces``). Without one, ``model.sample_posterior_predictive``
        is called first (100 draws).
    by
        A data column; one panel per level (e.g. ``"stim"``). Default: one
        panel with all trials.
    ax
        Axes to draw on (only without ``by``); default a new figure.
    path
        Save the figure there (``.png``, ``.svg`` or ``.pdf``).
    bins
        Number of histogram bins.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; never shown, so scripts and notebooks decide.

    Examples
    --------
    >>> import hierax as hx
    >>> model = hx.Model(hx.load_data("cavanagh_theta"))
    >>> model.sample(draws=100, tune=100, chains=1)  # doctest: +SKIP
    >>> model.sample_posterior_predictive()  # doctest: +SKIP
    >>> fig = hx.plot_posterior_predictive(model, by="stim")  # doctest: +SKIP
    """
    if by is not None and ax is not None:
        raise ValueError("Pass either by= (one panel per level) or ax= (a single panel), not both.")
    family = model.family
    mode = _mode(model)
    obs = observed(model)
    pred = predicted(model, idata)
    conditions = condition_values(model, by)
    levels: list[Any] = [None] if conditions is None else levels_of(conditions)
    # Panels: (condition level, choice) pairs; the choice is None unless per_choice.
    choices = [code for code, _ in family.responses] if mode == "per_choice" else [None]
    labels = dict(family.responses)
    if mode == "mirrored":
        obs, pred = mirrored(obs, family.choices[-1]), mirrored(pred, family.choices[-1])
        edges = _edges(obs, bins, symmetric=True)
    elif mode == "per_choice":
        edges = _edges(obs[:, 0], bins, symmetric=False)
    elif mode == "choice":
        codes = np.asarray(family.choices, dtype=float)
        edges = np.concatenate([codes - 0.5, codes[-1:] + 0.5])
    else:
        if obs.ndim > 1:
            obs, pred = obs[:, 0], pred[..., 0]
        edges = _edges(obs, bins, symmetric=False)
    panels = [(level, choice) for level in levels for choice in choices]
    if ax is None:
        rows, cols = (
            (len(levels), len(choices)) if mode == "per_choice" else panel_grid(len(panels))
        )
        fig, axes = plt.subplots(
            rows,
            cols,
            figsize=(4.2 * cols, 3.2 * rows),
            squeeze=False,
            sharex=True,
            sharey=mode == "per_choice",
            layout="constrained",
        )
        axes = axes.ravel()
        for extra in axes[len(panels) :]:
            extra.set_visible(False)
    else:
        if len(panels) > 1:
            raise ValueError(
                f"Model {family.name!r} is drawn as {len(panels)} panels (one per choice); "
                "leave ax= out."
            )
        fig, axes = ax.figure, [ax]
    for (level, choice), panel in zip(panels, axes, strict=False):
        mask = np.ones(len(obs), dtype=bool) if level is None else conditions == level
        if choice is None:
            _draw_panel(panel, obs[mask], pred[:, mask], edges, mode)
        else:
            # rt of the trials ending in this choice; other trials fall outside the bins.
            o = np.where(obs[mask, 1] == choice, obs[mask, 0], np.nan)
            p = np.where(pred[:, mask, 1] == choice, pred[:, mask, 0], np.nan)
            _draw_panel(panel, o, p, edges, mode)
        title = "all trials" if level is None else f"{by} = {level}"
        panel.set_title(title if choice is None else f"{title}: {labels[choice]}")
        if mode == "choice":
            panel.set_xticklabels([labels[c] for c in family.choices])
    if mode == "generic":
        for panel in axes[: len(panels)]:
            panel.set_xlabel(", ".join(model.resolved.response[:1]))
    axes[0].legend(fontsize="small", frameon=False)
    return finish(fig, path)
