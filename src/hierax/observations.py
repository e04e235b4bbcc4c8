"""Checking the observed columns and turning them into an array.

Examples
--------
>>> import pandas as pd
>>> from hierax.families import get_family
>>> df = pd.DataFrame({"rt": [0.5, 0.7], "response": [1, 0]})
>>> observations(df, get_family("ddm")).tolist()
[[0.5, 1.0], [0.7, -1.0]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hierax.families.base import Family

__all__ = ["observations", "response_columns"]

# Response codes read as the lower boundary when no choices are declared.
_LOWER_CODES = (-1.0, 0.0)


def response_columns(family: Family, response: str | Sequence[str] | None) -> tuple[str, ...]:
    """The observed columns: the family's defaults or the user's ``response=``."""
    if response is None:
        return family.response
    columns = (response,) if isinstance(response, str) else tuple(response)
    if len(columns) != len(family.response):
        raise ValueError(
            f"Model {family.name!r} observes {len(family.response)} column(s) "
            f"({', '.join(family.response)}); response={response!r} names {len(columns)}."
        )
    return columns


def _column(data: pd.DataFrame, column: str, family: Family) -> np.ndarray:
    if column not in data.columns:
        raise ValueError(
            f"Model {family.name!r} needs the column {column!r}, which is not in the data. "
            f"Columns are: {', '.join(map(str, data.columns))}. Rename it or pass response=."
        )
    series = data[column]
    if not pd.api.types.is_numeric_dtype(series):
        raise ValueError(f"Column {column!r} must be numeric, got {series.dtype}.")
    values = series.to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        row = data.index[np.argmax(bad)]
        raise ValueError(
            f"Column {column!r} has {int(bad.sum())} missing or infinite value(s) "
            f"(first at row {row!r}); drop those rows first."
        )
    return values


def _first_bad(data: pd.DataFrame, mask: np.ndarray) -> str:
    return f"{int(mask.sum())} row(s), first at row {data.index[np.argmax(mask)]!r}"


def _ssm(data: pd.DataFrame, family: Family, columns, choices) -> np.ndarray:
    rt = _column(data, columns[0], family)
    if (rt <= 0).any():
        raise ValueError(
            f"Column {columns[0]!r} must hold positive response times; "
            f"{_first_bad(data, rt <= 0)} are <= 0. Drop them or check the units (seconds)."
        )
    response = _column(data, columns[1], family)
    if choices is None:
        valid, lower = set(_LOWER_CODES) | {1.0}, set(_LOWER_CODES)
    else:
        valid = {float(c) for c in choices}
        if len(valid) != 2:
            raise ValueError(f"choices must name two response codes, got {choices!r}.")
        lower = {min(valid)}
    bad = ~np.isin(response, sorted(valid))
    if bad.any():
        code = float(response[np.argmax(bad)])
        raise ValueError(
            f"Column {columns[1]!r} holds response code {code:g} outside the "
            f"declared choices {sorted(valid)} ({_first_bad(data, bad)}). Recode it: 1 for the "
            "upper boundary and -1 (or 0) for the lower, or pass choices=."
        )
    coded = np.where(np.isin(response, sorted(lower)), -1.0, 1.0)
    return np.stack([rt, coded], axis=-1)


def _generic(data: pd.DataFrame, family: Family, columns) -> np.ndarray:
    values = np.stack([_column(data, c, family) for c in columns], axis=-1)
    y = values[:, 0]
    name, column = family.name, columns[0]
    if family.choices is not None and not np.isin(y, family.choices).all():
        raise ValueError(f"Model {name!r} needs column {column!r} to hold 0 or 1.")
    if name in ("poisson", "binomial") and ((y < 0) | (y != np.round(y))).any():
        raise ValueError(f"Model {name!r} needs column {column!r} to hold non-negative integers.")
    if name == "binomial" and (values[:, 1] < y).any():
        raise ValueError(
            f"Column {columns[1]!r} (trials) must be >= column {column!r} (successes)."
        )
    if name in ("gamma", "lognormal") and (y <= 0).any():
        raise ValueError(f"Model {name!r} needs column {column!r} to be positive.")
    return values if values.shape[1] > 1 else y


def observations(
    data: pd.DataFrame,
    family: Family,
    response: str | Sequence[str] | None = None,
    choices: Sequence[float] | None = None,
) -> np.ndarray:
    """The observations as a float array: (n, 2) rt/response rows for SSMs, (n,) or (n, k) else.

    SSM responses are recoded to 1 (upper) and -1 (lower).

    Raises
    ------
    ValueError
        Naming the column and the first bad row, for missing columns,
        non-finite or non-positive rt, and response codes outside the choices.
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}.")
    if len(data) == 0:
        raise ValueError("data has no rows.")
    columns = response_columns(family, response)
    if family.is_ssm:
        return _ssm(data, family, columns, choices)
    return _generic(data, family, columns)
