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


def _responses(data: pd.DataFrame, family: Family, column: str, choices) -> np.ndarray:
    response = _column(data, column, family)
    coded, bad = family.encode_responses(response, choices)
    if bad.any():
        code = float(response[np.argmax(bad)])
        accepted = ", ".join(
            f"{c:g}" for c in sorted(float(c) for c in (choices or family.choices))
        )
        aliases = "".join(f"; {a:g} is read as {c:g}" for a, c in family.aliases)
        where = (
            "the declared choices"
            if choices is not None
            else f"the choices of model {family.name!r}"
        )
        raise ValueError(
            f"Column {column!r} holds response code {code:g} outside {where} "
            f"[{accepted}]{aliases if choices is None else ''} ({_first_bad(data, bad)}). "
            f"Recode it, or pass choices= naming your {family.n_choices} codes (the smallest is "
            f"read as the model's {family.choices[0]:g}, and so on)."
        )
    return coded


def _rt_choice(data: pd.DataFrame, family: Family, columns, choices) -> np.ndarray:
    rt = _column(data, columns[0], family)
    if (rt <= 0).any():
        raise ValueError(
            f"Column {columns[0]!r} must hold positive response times; "
            f"{_first_bad(data, rt <= 0)} are <= 0. Drop them or check the units (seconds)."
        )
    return np.stack([rt, _responses(data, family, columns[1], choices)], axis=-1)


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
    """The observations as a float array: (n, 2) rt/response rows, (n,) or (n, k) else.

    Responses are recoded to the family's codes: ``choices`` names the user's
    codes, the i-th smallest read as the family's i-th (``[0, 1]`` for a DDM: 0 is
    the lower boundary); without it the family's codes and its aliases are accepted
    (a DDM reads 0 as -1).

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
    if family.kind == "rt_choice":
        return _rt_choice(data, family, columns, choices)
    if family.kind == "choice":
        return _responses(data, family, columns[0], choices)
    if choices is not None:
        raise ValueError(f"choices= applies to models of choices, not to {family.name!r}.")
    return _generic(data, family, columns)
