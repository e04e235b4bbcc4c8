"""Checking parameter values given by name for a family (``simulate_data``, ``logp``).

Examples
--------
>>> from hierax.families import get_family
>>> values, n = parameter_values(get_family("ddm"), {"v": [0.5, 1.0], "a": 1, "z": 0.5, "t": 0.2})
>>> n, values["v"].tolist()
(2, [0.5, 1.0])
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike

from hierax.families import Family

__all__ = ["check_rules", "parameter_values"]


def _rule(bounds: tuple[float, float]) -> tuple[str, object]:
    lower, upper = bounds
    if math.isfinite(lower) and math.isfinite(upper):
        return f"in ({lower:g}, {upper:g})", lambda x: (x > lower) & (x < upper)
    if math.isfinite(lower):
        return f"> {lower:g}", lambda x: x > lower
    if math.isfinite(upper):
        return f"< {upper:g}", lambda x: x < upper
    return "finite", np.isfinite


def _check(name: str, value: np.ndarray, ok: np.ndarray, rule: str, **others) -> None:
    """Raise a ValueError naming ``name`` and its first value that breaks ``rule``."""
    ok = np.broadcast_to(ok, np.shape(value))
    if ok.all():
        return
    index = np.flatnonzero(~ok)[0] if np.ndim(value) else None
    bad = value[index] if index is not None else value
    where = f" at row {index}" if index is not None else ""
    context = "".join(
        f", {key}={float(np.asarray(val).flat[index or 0])!r}" for key, val in others.items()
    )
    raise ValueError(f"Parameter {name!r} must be {rule}; got {float(bad)!r}{where}{context}.")


def parameter_values(
    family: Family, theta: Mapping[str, ArrayLike]
) -> tuple[dict[str, np.ndarray], int]:
    """``theta`` checked for ``family``: float64 arrays (scalar or 1-d) and the row count.

    Parameters with a default value (the LBA's ``t`` and ``s``) may be left out.
    Each value must be numeric, finite, a scalar or a 1-d array (all arrays of
    one length). The bounds and the rules between parameters are checked by
    :func:`check_rules`.

    Raises
    ------
    ValueError
        Naming the parameter and the first offending value.
    """
    expected = family.param_names
    if not isinstance(theta, Mapping):
        raise ValueError(f"theta must be a mapping from parameter names to values, got {theta!r}.")
    missing = [n for n in expected if n not in theta and family[n].default is None]
    unknown = [n for n in theta if n not in expected]
    if missing or unknown:
        raise ValueError(
            f"theta for model {family.name!r}: missing {missing}, unknown {unknown}; "
            f"the model's parameters are {list(expected)}."
        )
    columns: dict[str, np.ndarray] = {}
    lengths: dict[str, int] = {}
    for name in expected:
        raw = theta.get(name, family[name].default)
        try:
            value = np.asarray(raw, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"Parameter {name!r} must be numeric, got {raw!r}.") from None
        if value.ndim > 1:
            raise ValueError(
                f"Parameter {name!r} must be a scalar or a 1-d array, got shape {value.shape}."
            )
        if value.ndim == 1:
            lengths[name] = value.size
        _check(name, value, np.isfinite(value), "finite")
        columns[name] = value
    if len(set(lengths.values())) > 1:
        raise ValueError(f"Per-trial parameters must have the same length, got lengths {lengths}.")
    if 0 in lengths.values():
        raise ValueError(f"Per-trial parameters must not be empty, got lengths {lengths}.")
    return columns, max(lengths.values(), default=1)


def check_rules(family: Family, values: Mapping[str, np.ndarray], inclusive: bool) -> None:
    """Raise for a value outside its bounds or a failed rule between parameters.

    ``inclusive`` accepts a value at the lower bound of a parameter whose
    ``closed_lower`` says so (``t = 0``, ``sv = 0``), as the simulators do.
    """
    for info in family.params:
        value = values[info.name]
        rule, holds = _rule(info.bounds)
        ok = holds(value)
        if inclusive and info.closed_lower:
            lower = f"{info.bounds[0]:g}"
            rule = rule.replace(f"> {lower}", f">= {lower}").replace(f"({lower},", f"[{lower},")
            ok = ok | (value == info.bounds[0])
        _check(info.name, value, ok, rule)
    for constraint in family.constraints:
        ok = np.asarray(constraint.holds(values))
        if ok.all():
            continue
        index = int(np.flatnonzero(~np.broadcast_to(ok, np.broadcast(*values.values()).shape))[0])
        shown = ", ".join(
            f"{name}={float(np.asarray(v).flat[index if np.ndim(v) else 0])!r}"
            for name, v in values.items()
        )
        where = f" at row {index}" if ok.ndim else ""
        raise ValueError(
            f"Parameters of {family.name!r} must satisfy {constraint.rule}{where}; got {shown}."
        )
