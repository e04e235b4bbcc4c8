"""A NumPyro-style posterior summary table, with coordinate labels.

:func:`print_summary` prints the table NumPyro users know (mean, std,
median, an equal-tailed credible interval, n_eff, r_hat), one row per scalar
element, labelled with its coordinates (``v_1|participant_id[3]``), and the
number of divergent transitions. :func:`summary_table` returns the same table
as a :class:`pandas.DataFrame`. Effective sample size and r_hat come from
arviz (bulk ESS and rank-normalised split r_hat).

Unlike :func:`numpyro.diagnostics.print_summary`, whose percentile columns
are the bounds of the highest posterior density interval, the interval here is
equal-tailed, so the column labels (``5.0%``, ``95.0%``) are the quantiles
they name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import arviz as az
import numpy as np
import pandas as pd

__all__ = ["print_summary", "summary_table"]

#: Decimals shown in the printed table (NumPyro prints two).
DECIMALS = 2

#: Width of each numeric column in the printed table (NumPyro's).
COLUMN_WIDTH = 10

#: Leading axes of every posterior array: ``(chain, draw, ...)``.
SAMPLE_AXES = 2


def summary_table(
    data: Any,
    prob: float = 0.9,
    *,
    var_names: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Posterior summary, one row per scalar element of each variable.

    Parameters
    ----------
    data
        An :class:`arviz.InferenceData` with a ``posterior`` group; a
        :class:`numpyro.infer.MCMC` after ``run``; or a mapping from variable
        name to an array of shape ``(chain, draw, ...)`` (e.g.
        ``mcmc.get_samples(group_by_chain=True)``).
    prob
        Probability mass of the equal-tailed interval, in (0, 1).
    var_names
        Variables to include; default all posterior variables.

    Returns
    -------
    pandas.DataFrame
        Index: row labels (``name`` or ``name[coord, ...]``); columns
        ``mean``, ``std`` (sample standard deviation, ``ddof=1``),
        ``median``, the lower and upper interval quantiles (e.g. ``5.0%``,
        ``95.0%``), ``n_eff`` (bulk ESS) and ``r_hat``. ``attrs["divergences"]``
        holds the number of divergent transitions, or ``None`` when the data
        carry no ``diverging`` sample statistic.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> table = summary_table({"mu": rng.normal(size=(2, 500)), "b": rng.normal(size=(2, 500, 2))})
    >>> table.index.tolist()
    ['mu', 'b[0]', 'b[1]']
    >>> table.columns.tolist()
    ['mean', 'std', 'median', '5.0%', '95.0%', 'n_eff', 'r_hat']
    """
    if not 0.0 < prob < 1.0:
        raise ValueError(f"prob must lie in (0, 1), got {prob}.")
    idata = _as_inference_data(data)
    posterior = idata.posterior
    if var_names is not None:
        missing = [v for v in var_names if v not in posterior.data_vars]
        if missing:
            raise ValueError(
                f"var_names {missing} are not in the posterior; "
                f"available: {list(posterior.data_vars)}."
            )
        posterior = posterior[list(var_names)]

    ess = az.ess(posterior, method="bulk")
    rhat = az.rhat(posterior)
    q_lo, q_hi = (1.0 - prob) / 2.0, (1.0 + prob) / 2.0
    columns = ["mean", "std", "median", _percent(q_lo), _percent(q_hi), "n_eff", "r_hat"]

    rows: dict[str, list[float]] = {}
    for name, array in posterior.data_vars.items():
        values = np.asarray(array.values, dtype=float)
        n_samples = values.shape[0] * values.shape[1]
        flat = values.reshape(n_samples, -1)
        stats = np.stack(
            [
                flat.mean(axis=0),
                flat.std(axis=0, ddof=1),
                np.median(flat, axis=0),
                np.quantile(flat, q_lo, axis=0),
                np.quantile(flat, q_hi, axis=0),
                np.asarray(ess[name].values, dtype=float).reshape(-1),
                np.asarray(rhat[name].values, dtype=float).reshape(-1),
            ],
            axis=1,
        )
        for label, row in zip(_element_labels(array), stats, strict=True):
            rows[label] = row.tolist()

    table = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    table.attrs["divergences"] = _divergences(idata)
    return table


def print_summary(
    data: Any,
    prob: float = 0.9,
    *,
    var_names: Sequence[str] | None = None,
) -> None:
    """Print the NumPyro-style posterior summary and the number of divergences.

    Parameters
    ----------
    data
        :class:`arviz.InferenceData`, a run :class:`numpyro.infer.MCMC`, or a
        mapping of ``(chain, draw, ...)`` arrays; see :func:`summary_table`.
    prob
        Probability mass of the equal-tailed interval, in (0, 1).
    var_names
        Variables to include; default all posterior variables.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> print_summary({"mu": 1.0 + rng.normal(size=(2, 1000))})  # doctest: +NORMALIZE_WHITESPACE
    <BLANKLINE>
            mean       std    median      5.0%     95.0%     n_eff     r_hat
    mu      0.97      1.00      0.97     -0.64      2.60   1964.51      1.00
    <BLANKLINE>
    """
    table = summary_table(data, prob, var_names=var_names)
    print(f"\n{_format(table)}\n")
    divergences = table.attrs["divergences"]
    if divergences is not None:
        print(f"Number of divergences: {divergences}")


def _format(table: pd.DataFrame) -> str:
    """Right-aligned fixed-width text, like NumPyro's table."""
    label_width = max(len(str(label)) for label in table.index)
    lines = [" " * label_width + "".join(f"{c:>{COLUMN_WIDTH}}" for c in table.columns)]
    for label, row in table.iterrows():
        cells = "".join(f"{x:>{COLUMN_WIDTH}.{DECIMALS}f}" for x in row)
        lines.append(f"{label:>{label_width}}{cells}")
    return "\n".join(lines)


def _percent(q: float) -> str:
    return f"{100.0 * q:.1f}%"


def _as_inference_data(data: Any) -> az.InferenceData:
    """InferenceData from InferenceData, a run numpyro MCMC, or a dict of arrays."""
    if isinstance(data, az.InferenceData):
        if "posterior" not in data.groups():
            raise ValueError("The InferenceData has no 'posterior' group to summarise.")
        return data
    if hasattr(data, "get_samples") and hasattr(data, "sampler"):
        return az.from_numpyro(data)
    if isinstance(data, Mapping):
        arrays = {name: np.asarray(value) for name, value in data.items()}
        flat = [name for name, value in arrays.items() if value.ndim < SAMPLE_AXES]
        if flat:
            raise ValueError(
                f"Arrays {flat} need a chain and a draw axis, shape (chain, draw, ...); "
                "with NumPyro use mcmc.get_samples(group_by_chain=True)."
            )
        return az.from_dict(posterior=arrays)
    raise TypeError(
        "Expected arviz.InferenceData, a numpyro MCMC, or a dict of (chain, draw, ...) "
        f"arrays; got {type(data).__name__}."
    )


def _element_labels(array: Any) -> list[str]:
    """``name`` for scalars, ``name[c1, c2]`` per element otherwise, in C order."""
    name = str(array.name)
    dims = array.dims[SAMPLE_AXES:]
    if not dims:
        return [name]
    coords = [
        array.coords[d].values if d in array.coords else np.arange(array.sizes[d]) for d in dims
    ]
    shape = tuple(array.sizes[d] for d in dims)
    return [
        f"{name}[{', '.join(str(c[i]) for c, i in zip(coords, idx, strict=True))}]"
        for idx in np.ndindex(*shape)
    ]


def _divergences(idata: az.InferenceData) -> int | None:
    stats = getattr(idata, "sample_stats", None)
    if stats is None or "diverging" not in stats:
        return None
    return int(np.asarray(stats["diverging"].values).sum())
