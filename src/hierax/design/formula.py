"""Formulas to design arrays, through the formulae library.

A parameter's formula becomes a :class:`Design`: a dense fixed-effect matrix
``X`` whose columns are grouped into named :class:`CommonTerm` blocks, and
one :class:`GroupTerm` per group-specific term, stored as an integer group
index per observation plus the term's values per observation, so that the
model computes ``coef[index] * values`` (a gather) rather than multiplying by
a dense indicator matrix.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"x": [0.5, 1.0, 2.0, 3.0], "g": ["a", "b", "a", "b"]})
>>> d = make_design("v", "1 + x + (1|g)", df)
>>> [t.name for t in d.common], [t.name for t in d.group]
(['Intercept', 'x'], ['1|g'])
>>> d.group[0].index.tolist(), d.group[0].levels
([0, 1, 0, 1], ('a', 'b'))
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import formulae
import numpy as np
import pandas as pd

__all__ = ["CommonTerm", "Design", "GroupTerm", "formula_columns", "make_design"]


@dataclass(frozen=True)
class CommonTerm:
    """A population-level ("fixed") term: a block of columns of ``X``.

    ``labels`` names the columns when the term is categorical (e.g. the
    levels ``("LC",)`` of ``C(conf)``); ``None`` for a single numeric column.
    """

    name: str
    columns: slice
    labels: tuple[str, ...] | None
    is_intercept: bool

    @property
    def size(self) -> int:
        return self.columns.stop - self.columns.start


@dataclass(frozen=True)
class GroupTerm:
    """A group-specific ("random") term such as ``1|participant_id``.

    Attributes
    ----------
    name
        The term as written by formulae, e.g. ``"theta|participant_id"``.
    expr
        Its expression: ``"1"``, ``"theta"`` or ``"C(cond)"``.
    factor
        The grouping factor, e.g. ``"participant_id"`` or ``"g1:g2"`` (nested).
    index
        Group index of each observation, shape (n,), values in [0, len(levels)).
    values
        The expression's value per observation, shape (n, p).
    levels
        Group labels, in index order (original values for a single column).
    expr_labels
        Names of the p expression columns when p > 1 or categorical, else None.
    """

    name: str
    expr: str
    factor: str
    index: np.ndarray
    values: np.ndarray
    levels: tuple[Any, ...]
    expr_labels: tuple[str, ...] | None

    @property
    def is_intercept(self) -> bool:
        return self.expr == "1"

    @property
    def n_groups(self) -> int:
        return len(self.levels)


@dataclass(frozen=True)
class Design:
    """Design arrays of one parameter's formula."""

    param: str
    rhs: str
    X: np.ndarray
    common: tuple[CommonTerm, ...]
    group: tuple[GroupTerm, ...]

    @property
    def term_names(self) -> tuple[str, ...]:
        """All term names: common then group-specific."""
        return tuple(t.name for t in self.common) + tuple(t.name for t in self.group)


def formula_columns(rhs: str) -> tuple[set[str], set[str]]:
    """Data columns a formula uses: (all columns, columns used as plain numbers)."""
    description = formulae.model_description(rhs)
    numeric: set[str] = set()

    def visit(term):
        for component in getattr(term, "components", []):
            if type(component).__name__ == "Variable":
                numeric.add(component.name)

    for term in description.terms:
        if type(term).__name__ == "GroupSpecificTerm":
            visit(term.expr)
        else:
            visit(term)
    return set(description.var_names), numeric


def _check_columns(param: str, rhs: str, data: pd.DataFrame) -> None:
    try:
        columns, numeric = formula_columns(rhs)
    except Exception as err:  # formulae's parser errors carry no parameter name
        raise ValueError(
            f"Cannot parse the formula of {param!r}: '{param} ~ {rhs}': {err}"
        ) from None
    missing = sorted(c for c in columns if c not in data.columns)
    if missing:
        raise ValueError(
            f"The formula '{param} ~ {rhs}' uses column {missing[0]!r}, which is not in the data. "
            f"Columns are: {', '.join(map(str, data.columns))}."
        )
    for column in sorted(columns):
        if data[column].isna().any():
            raise ValueError(
                f"Column {column!r} (used in '{param} ~ {rhs}') has missing values; "
                "drop or fill those rows first."
            )
    for column in sorted(numeric):
        # As in bambi, a string or categorical column is a factor without C(); other
        # non-numeric columns (dates, durations, objects) have no reading in a formula.
        series = data[column]
        if not (
            pd.api.types.is_numeric_dtype(series)
            or pd.api.types.is_bool_dtype(series)
            or pd.api.types.is_string_dtype(series)
            or isinstance(series.dtype, pd.CategoricalDtype)
        ):
            raise ValueError(
                f"Column {column!r} holds {series.dtype} values, which '{param} ~ {rhs}' can "
                f"read neither as numbers nor as categories. Convert it with pd.to_numeric, "
                "or to strings to treat it as categorical."
            )


def _original_levels(data: pd.DataFrame, factor: str, labels: list[str]) -> tuple[Any, ...]:
    if factor not in data.columns:  # an interaction of factors, e.g. "g1:g2"
        return tuple(labels)
    lookup = {str(v): v for v in pd.unique(data[factor])}
    return tuple(_plain(lookup.get(label, label)) for label in labels)


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _group_term(name: str, term, data: pd.DataFrame) -> GroupTerm:
    expr = str(name).split("|", 1)[0]
    factor = str(name).split("|", 1)[1]
    index = np.asarray(term.factor.data).argmax(axis=1).astype(np.int32)
    values = np.asarray(term.expr.data, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    expr_labels = getattr(term.expr, "labels", None)
    categorical = term.kind == "categoric" or values.shape[1] > 1
    levels = _original_levels(data, factor, list(term.groups))
    n_groups = len(levels)
    if n_groups < 2:
        warnings.warn(
            f"Grouping column {factor!r} of term '{name}' has a single level; the group "
            "effect is not identified apart from the intercept. Drop the term or check the data.",
            UserWarning,
            stacklevel=4,
        )
    return GroupTerm(
        name=str(name),
        expr=expr,
        factor=factor,
        index=index,
        values=values,
        levels=levels,
        expr_labels=tuple(expr_labels) if categorical and expr_labels else None,
    )


def make_design(param: str, rhs: str, data: pd.DataFrame) -> Design:
    """Build the design of ``param ~ rhs`` on ``data``.

    Parameters
    ----------
    param
        The parameter the formula belongs to (named in error messages).
    rhs
        The right-hand side, e.g. ``"1 + theta + (1|participant_id)"``.
    data
        The trial-level data.

    Raises
    ------
    ValueError
        If the formula uses a missing column, a column with missing values, a
        string column as a number, or cannot be parsed.
    """
    _check_columns(param, rhs, data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            matrices = formulae.design_matrices(rhs, data, na_action="error")
    except Exception as err:
        raise ValueError(f"Cannot build the design of '{param} ~ {rhs}': {err}") from None
    common: list[CommonTerm] = []
    X = np.zeros((len(data), 0))
    if matrices.common is not None:
        X = np.asarray(matrices.common.design_matrix, dtype=float)
        for name, term in matrices.common.terms.items():
            columns = matrices.common.slices[name]
            is_categorical = getattr(term, "kind", None) in ("categoric", "interaction") and any(
                "[" in label for label in term.labels
            )
            labels = _column_labels(name, term.labels) if is_categorical else None
            common.append(CommonTerm(str(name), columns, labels, name == "Intercept"))
    group = ()
    if matrices.group is not None:
        group = tuple(_group_term(name, term, data) for name, term in matrices.group.terms.items())
    return Design(param=param, rhs=rhs, X=X, common=tuple(common), group=group)


def _column_labels(name: str, labels: list[str]) -> tuple[str, ...]:
    """Short level labels: 'C(conf)[LC]' -> 'LC'; interactions keep the full label."""
    out = []
    for label in labels:
        if label.startswith(name + "[") and label.endswith("]"):
            out.append(label[len(name) + 1 : -1])
        else:
            out.append(label)
    return tuple(out)
