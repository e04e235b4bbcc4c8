"""Quantile-probability plots: response-time quantiles against response probability.

In each condition, each response (upper and lower for the DDM; each choice of
an n-choice model) contributes one column of points: x is the probability of
that response in the condition, y the
response-time quantiles (.1, .3, .5, .7, .9) of the trials with that
response. Lines join the same quantile across columns. Observed values are
dots; the model's prediction is the mean over posterior-predictive draws
(crosses joined by lines), with each draw's values as a faint cloud.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

import arviz as az
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hierax.plots._common import PathLike, condition_values, finish, levels_of, observed, predicted

if TYPE_CHECKING:
    from hierax.model import Model

__all__ = ["QUANTILES", "plot_quantile_probability", "quantile_probability_table"]

QUANTILES = (0.1, 0.3, 0.5, 0.7, 0.9)
"""The RT quantiles of a quantile-probability plot (Ratcliff & McKoon, 2008)."""

# Predictive draws drawn individually as the faint cloud (the mean uses all).
_CLOUD_DRAWS = 100
# The DDM's responses, the default of quantile_probability_table.
_DDM_RESPONSES = ((1.0, "upper"), (-1.0, "lower"))


def quantile_probability_table(
    rt: np.ndarray,
    response: np.ndarray,
    cond: np.ndarray | None = None,
    quantiles: Sequence[float] = QUANTILES,
    responses: Sequence[tuple[float, str]] = _DDM_RESPONSES,
) -> pd.DataFrame:
    """Response probabilities and RT quantiles per condition and response.

    Parameters
    ----------
    rt, response
        One value per trial; response codes as in ``responses``.
    cond
        Condition of each trial; ``None`` treats all trials as one condition.
    quantiles
        Probabilities in (0, 1) of the RT quantiles.
    responses
        ``(code, label)`` per response; default the DDM's (1 "upper", -1 "lower");
        a model's are ``model.family.responses``.

    Returns
    -------
    pandas.DataFrame
        One row per condition, response and quantile, with columns ``cond``,
        ``response`` ("upper"/"lower"), ``p`` (the response's probability in
        the condition), ``n`` (its trials), ``quantile`` and ``rt`` (NaN when
        the response never occurs in the condition).

    Examples
    --------
    >>> import numpy as np
    >>> table = quantile_probability_table(
    ...     np.array([0.4, 0.5, 0.6, 0.9]), np.array([1, 1, 1, -1]), quantiles=[0.5])
    >>> table[["response", "p", "n", "rt"]].to_numpy().tolist()
    [['upper', 0.75, 3, 0.5], ['lower', 0.25, 1, 0.9]]
    """
    rt = np.asarray(rt, dtype=float)
    response = np.asarray(response, dtype=float)
    cond_values = np.zeros(len(rt), dtype=int) if cond is None else np.asarray(cond)
    rows = []
    for level in levels_of(cond_values):
        in_cond = cond_values == level
        for code, label in responses:
            chosen = in_cond & (response == code)
            n = int(chosen.sum())
            p = n / int(in_cond.sum())
            values = np.quantile(rt[chosen], quantiles) if n else np.full(len(quantiles), np.nan)
            for q, value in zip(quantiles, values, strict=True):
                rows.append((None if cond is None else level, label, p, n, q, float(value)))
    return pd.DataFrame(rows, columns=["cond", "response", "p", "n", "quantile", "rt"])


def _predicted_table(pred: np.ndarray, cond, quantiles, responses) -> pd.DataFrame:
    """Per draw: the same table as :func:`quantile_probability_table`, with a ``draw`` column."""
    rt, response = pred[..., 0], pred[..., 1]
    cond_values = np.zeros(rt.shape[1], dtype=int) if cond is None else cond
    frames = []
    for level in levels_of(cond_values):
        in_cond = cond_values == level
        rt_c, resp_c = rt[:, in_cond], response[:, in_cond]
        for code, label in responses:
            chosen = resp_c == code
            p = chosen.mean(axis=1)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # draws without this response
                values = np.nanquantile(np.where(chosen, rt_c, np.nan), quantiles, axis=1)
            for qi, q in enumerate(quantiles):
                frames.append(
                    pd.DataFrame(
                        {
                            "cond": None if cond is None else level,
                            "response": label,
                            "p": p,
                            "quantile": q,
                            "rt": values[qi],
                            "draw": np.arange(len(p)),
                        }
                    )
                )
    return pd.concat(frames, ignore_index=True)


def _label(row: pd.Series) -> str:
    return row["response"] if row["cond"] is None else f"{row['cond']} {row['response']}"


def plot_quantile_probability(
    model: Model,
    idata: az.InferenceData | None = None,
    cond: str | None = "stim",
    path: PathLike | None = None,
    *,
    quantiles: Sequence[float] = QUANTILES,
    predictive: bool = True,
) -> Figure:
    """Quantile-probability plot of the observed data and the posterior prediction.

    Parameters
    ----------
    model
        A :class:`~hierax.Model` of a sequential sampling model.
    idata
        InferenceData with a ``posterior_predictive`` group (default
        ``model.traces``; sampled first if missing, as in
        :func:`plot_posterior_predictive`).
    cond
        The data column whose levels are the conditions (default ``"stim"``);
        ``None`` for all trials as one condition.
    path
        Save the figure there (``.png``, ``.svg`` or ``.pdf``).
    quantiles
        The RT quantiles to show.
    predictive
        Draw the posterior prediction (set False to plot the data alone,
        e.g. before fitting).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import hierax as hx
    >>> model = hx.Model(hx.load_data("cavanagh_theta"))
    >>> fig = hx.plot_quantile_probability(model, cond="stim", predictive=False)
    >>> fig.axes[0].get_xlabel()
    'response probability'
    """
    if not model.family.is_ssm:
        raise ValueError(
            f"A quantile-probability plot needs response times and responses; model "
            f"{model.family.name!r} has no response times."
        )
    obs = observed(model)
    conditions = condition_values(model, cond)
    responses = model.family.responses
    table = quantile_probability_table(obs[:, 0], obs[:, 1], conditions, quantiles, responses)
    fig, ax = plt.subplots(figsize=(6.4, 4.8), layout="constrained")
    if predictive:
        pred = _predicted_table(predicted(model, idata), conditions, quantiles, responses)
        cloud = pred[pred["draw"] < _CLOUD_DRAWS]
        ax.scatter(
            cloud["p"],
            cloud["rt"],
            s=5,
            color="C0",
            alpha=0.15,
            linewidths=0,
            label="predicted (draws)",
        )
        mean = (
            pred.groupby(["cond", "response", "quantile"], dropna=False, sort=False)[["p", "rt"]]
            .mean()
            .reset_index()
        )
        for i, (_, line) in enumerate(mean.groupby("quantile")):
            line = line.sort_values("p")
            ax.plot(
                line["p"],
                line["rt"],
                "x-",
                color="C0",
                linewidth=1,
                markersize=5,
                label="predicted (mean)" if i == 0 else None,
            )
    for _, line in table.groupby("quantile"):
        line = line.dropna(subset=["rt"]).sort_values("p")
        ax.plot(line["p"], line["rt"], "-", color="0.6", linewidth=0.8, zorder=2)
    points = table.dropna(subset=["rt"])
    ax.plot(points["p"], points["rt"], "o", color="k", markersize=5, zorder=3, label="observed")
    top = points[points["quantile"] == points["quantile"].max()]
    for _, row in top.iterrows():
        ax.annotate(
            _label(row),
            (row["p"], row["rt"]),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize="x-small",
        )
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("response probability")
    ax.set_ylabel("response time quantile (s)")
    qs = ", ".join(f"{q:g}" for q in quantiles)
    ax.set_title(f"Quantiles {qs}" + ("" if cond is None else f" by {cond}"))
    ax.legend(fontsize="small", frameon=False, loc="upper left")
    return finish(fig, path)
