"""``Param``: how one model parameter is specified (formula, priors, link, bounds).

Examples
--------
>>> p = Param("v", formula="v ~ 1 + theta + (1|participant_id)",
...           prior={"Intercept": Prior("Normal", mu=0.0, sigma=1.0)})
>>> p.name, p.formula
('v', 'v ~ 1 + theta + (1|participant_id)')
>>> as_param({"name": "a", "prior": 1.5}).prior
1.5
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from hierax.spec.link import Link
from hierax.spec.prior import Prior, as_prior

__all__ = ["Param", "ParamLike", "as_param"]

_PARAM_KEYS = ("name", "formula", "prior", "link", "bounds", "centered")


@dataclass(frozen=True)
class Param:
    """Specification of one model parameter.

    Parameters
    ----------
    name
        The parameter, e.g. ``"v"``; must be one of the model's parameters.
    formula
        An lme4-style formula such as ``"v ~ 1 + theta + (1|participant_id)"``.
        Without a formula the parameter is a single value with one prior.
    prior
        Without a formula: one Prior (or a number: the parameter is fixed).
        With a formula: a dict from term name (``"Intercept"``, ``"theta"``,
        ``"x:y"``, ``"C(cond)"``, ``"1|participant_id"``, ``"x|participant_id"``)
        to a Prior or number; terms left out get defaults.
    link
        ``"identity"``, ``"log"``, ``"logit"`` or a :class:`Link`; the default
        comes from the model's ``link_settings``.
    bounds
        ``(lower, upper)``; defaults to the family's bounds for the parameter.
    centered
        Parameterisation of the group-specific terms: ``True`` (centred),
        ``False`` (non-centred), or a dict from group term to bool; ``None``
        (default) follows the Model's ``noncentered`` (``"auto"``: chosen
        from the data per term).

    Examples
    --------
    >>> Param("a", prior=Prior("HalfNormal", sigma=2.0)).prior
    Prior('HalfNormal', sigma=2.0)
    """

    name: str
    formula: str | None = None
    prior: Prior | float | dict[str, Prior | float] | None = None
    link: str | Link | None = None
    bounds: tuple[float, float] | None = None
    centered: bool | dict[str, bool] | None = field(default=None)

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"Param name must be a non-empty string, got {self.name!r}.")
        if self.formula is not None:
            if not isinstance(self.formula, str):
                raise TypeError(f"Param {self.name!r}: formula must be a string.")
            if "~" in self.formula:
                lhs = self.formula.split("~", 1)[0].strip()
                if lhs and lhs != self.name:
                    raise ValueError(
                        f"Param {self.name!r}: the formula's left-hand side is {lhs!r}; "
                        f"write '{self.name} ~ ...'."
                    )
        object.__setattr__(self, "prior", _normalise_prior(self.name, self.formula, self.prior))
        if self.link is not None and not isinstance(self.link, (str, Link)):
            raise TypeError(f"Param {self.name!r}: link must be a string or hx.Link.")
        if self.bounds is not None:
            bounds = tuple(float(b) for b in self.bounds)
            if len(bounds) != 2 or not bounds[0] < bounds[1]:
                raise ValueError(
                    f"Param {self.name!r}: bounds must be (lower, upper) with lower < upper, "
                    f"got {self.bounds!r}."
                )
            object.__setattr__(self, "bounds", bounds)

    @property
    def rhs(self) -> str | None:
        """The right-hand side of the formula (``None`` without a formula)."""
        if self.formula is None:
            return None
        return self.formula.split("~", 1)[1].strip() if "~" in self.formula else self.formula

    def with_formula(self, formula: str) -> Param:
        """A copy with another formula (used for ``global_formula``)."""
        return replace(self, formula=formula)


def _normalise_prior(name: str, formula: str | None, prior: Any):
    if prior is None:
        return None
    if isinstance(prior, Mapping) and "name" not in prior:
        if formula is None:
            raise ValueError(
                f"Param {name!r} has no formula, so it takes one prior, not a dict of "
                f"term priors ({', '.join(map(str, prior))}). Give a formula or a single Prior."
            )
        return {str(term): as_prior(p) for term, p in prior.items()}
    return as_prior(prior)


ParamLike = Param | Mapping[str, Any]


def as_param(spec: ParamLike) -> Param:
    """A :class:`Param` from a Param or the equivalent dict form.

    Examples
    --------
    >>> as_param({"name": "v", "formula": "v ~ 1 + x"}).formula
    'v ~ 1 + x'
    """
    if isinstance(spec, Param):
        return spec
    if isinstance(spec, Mapping):
        unknown = sorted(set(spec) - set(_PARAM_KEYS))
        if unknown:
            raise ValueError(
                f"Unknown key {unknown[0]!r} in parameter spec {dict(spec)!r}; "
                f"valid keys are {', '.join(_PARAM_KEYS)}."
            )
        if "name" not in spec:
            raise ValueError(f"Parameter spec {dict(spec)!r} needs a 'name'.")
        return Param(**dict(spec))
    raise TypeError(
        f"include= takes hx.Param objects or dicts with a 'name' key, got {type(spec).__name__}."
    )
