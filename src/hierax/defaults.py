"""Default priors, by ``prior_settings``: ``"safe"`` (HSSM's), ``None`` (bambi's), ``"scaled"``.

A term of a formula without a user prior gets one from the table in force;
so does a parameter without a formula and without a prior. ``"safe"`` (the
default, as in HSSM) and ``None`` are HSSM's two tables, term for term;
``"scaled"`` is hierax's own, built from each family's typical
between-participant spread ``s`` of the parameter (``ParamInfo.scale``),
carried to the link scale by the slope of the link at the parameter's
central value (``s * |g'(init)|``). W is ``Weibull(alpha=1.5, beta=0.3)``.

"DDM" below means the analytical ``ddm``, ``ddm_sdv`` and ``full_ddm`` with no
link set (neither ``link=`` nor ``link_settings``; HSSM's test is the same).

====================== ========================= ======================== ========================
term                   ``"safe"`` (HSSM)         ``None`` (bambi)         ``"scaled"`` (hierax)
====================== ========================= ======================== ========================
no formula, DDM        by bounds [1]             by bounds [1]            family's prior [2]
no formula, other      family's prior            family's prior           family's prior
Intercept, DDM         ``HDDM_INTERCEPT``        Normal(0, 1) [3]         family's prior [2]
Intercept, other       Normal(0, 0.25) [4]       Normal(0, 1) [3]         Normal(g(init), 1) [5]
``0 + C(x)`` cells     Normal(0, 0.25)           Normal(0, 1) [3]         as the Intercept
other common terms     Normal(0, 0.25)           Normal(0, 1) [3]         Normal(0, s)
``1|g`` + Intercept    Normal(0, W)              Normal(0, HalfNormal(1)) Normal(0, HalfNormal(s))
``x|g`` + common ``x`` Normal(0, W)              Normal(0, HalfNormal(1)) Normal(0, HalfNormal(s))
``1|g`` alone, DDM     ``HDDM_GROUP``            Normal(0, HalfNormal(1)) Normal(0, HalfNormal(s))
other group terms      Normal(Normal(0, .25), W) Normal(0, HalfNormal(1)) Normal(0, HalfNormal(s))
====================== ========================= ======================== ========================

[1] Normal(0, 2) on (-inf, inf), HalfNormal(2) on (0, inf), Uniform on
    finite bounds, TruncatedNormal(bound, 2) on a half line from another bound.
[2] ``hx.get_family(name)[param].prior``: v ~ Normal(0, 2), a ~ Gamma(mu=1,
    sigma=0.75), z ~ Beta(5, 5), t ~ Gamma(mu=0.3, sigma=0.3), ...
[3] bambi scales the terms of the first parameter with a formula (HSSM's
    "parent", e.g. v): Intercept Normal(0, 2.5), a slope of x Normal(0, 2.5 /
    sd(x)), the group terms' HalfNormal likewise, and the Intercept widened
    for slopes of covariates with nonzero means. A term of several columns
    takes the widest of its columns' priors (bambi gives each its own).
[4] On the link scale under a link; with an identity link, Normal(midpoint,
    0.25) truncated to finite bounds, Normal(0, 0.25) truncated to half-line
    bounds.
[5] g the link, ``init`` the parameter's central value; with an identity
    link, the family's prior.

Examples
--------
>>> from hierax.families import get_family
>>> from hierax.design import make_design
>>> import pandas as pd
>>> data = pd.DataFrame({"participant_id": [0, 0, 1, 1]})
>>> design = make_design("a", "1 + (1|participant_id)", data)
>>> priors = term_priors(design, get_family("ddm")["a"], Link("identity"), "safe", family="ddm")
>>> for name, prior in priors.items():
...     print(name, "~", prior)
Intercept ~ Gamma(mu: 1.5, sigma: 0.75)
1|participant_id ~ Normal(mu: 0.0, sigma: Weibull(alpha: 1.5, beta: 0.3))
"""

from __future__ import annotations

import math

import jax
import numpy as np

from hierax.design import Design
from hierax.families.base import ParamInfo
from hierax.families.custom import prior_from_bounds
from hierax.spec.link import Link
from hierax.spec.prior import Prior

__all__ = [
    "HDDM_FAMILIES",
    "HDDM_GROUP",
    "HDDM_INTERCEPT",
    "PRIOR_SETTINGS",
    "free_prior",
    "link_scale",
    "term_priors",
]

PRIOR_SETTINGS = ("safe", "scaled", None)
#: What ``print(model)`` says of each table.
TABLE_NAMES = {
    "safe": "HSSM's safe priors",
    None: "bambi's defaults, as HSSM sets them",
    "scaled": "hierax's scaled priors",
}


def prior_table(prior_settings: str | None, family_kind: str) -> str | None:
    """The table that gives the defaults: HSSM's safe table is written for sequential
    sampling models, so regressions (``normal``, ``poisson``, ..., hierax's own) keep
    the scaled priors under ``"safe"``.

    Examples
    --------
    >>> prior_table("safe", "rt_choice"), prior_table("safe", "generic")
    ('safe', 'scaled')
    """
    return "scaled" if prior_settings == "safe" and family_kind == "generic" else prior_settings


#: The families HSSM gives its HDDM priors (``is_ddm`` in HSSM).
HDDM_FAMILIES = ("ddm", "ddm_sdv", "full_ddm")

_WEIBULL = Prior("Weibull", alpha=1.5, beta=0.3)
# HSSM's "safe" width of common terms and of the means of group terms.
SAFE_SD = 0.25
#: HSSM's safe intercepts of the DDMs (its ``HDDM_MU``).
HDDM_INTERCEPT: dict[str, Prior] = {
    "v": Prior("Normal", mu=2.0, sigma=3.0),
    "a": Prior("Gamma", mu=1.5, sigma=0.75),
    "z": Prior("Beta", alpha=10.0, beta=10.0),
    "t": Prior("Gamma", mu=0.2, sigma=0.2),
    "sv": Prior("HalfNormal", sigma=2.0),
    "st": Prior("HalfNormal", sigma=0.3),
    "sz": Prior("HalfNormal", sigma=0.5),
    "p_outlier": Prior("Beta", alpha=5.0, beta=100.0),
}
# HSSM's spreads of the DDMs' group distributions (its ``HDDM_SIGMA``).
_HDDM_SPREAD: dict[str, Prior] = {
    "v": Prior("HalfNormal", sigma=2.0),
    "a": Prior("HalfNormal", sigma=0.1),
    "t": Prior("HalfNormal", sigma=0.2),
    "sv": _WEIBULL,
    "sz": _WEIBULL,
    "st": _WEIBULL,
    "p_outlier": _WEIBULL,
}
_Z_CONCENTRATION = Prior("Gamma", mu=10.0, sigma=10.0)
#: HSSM's safe ``1|g`` of a DDM parameter without an Intercept (``HDDM_SETTINGS_GROUP``):
#: each group's value drawn around a common mean.
HDDM_GROUP: dict[str, Prior] = {
    "v": Prior("Normal", mu=HDDM_INTERCEPT["v"], sigma=_HDDM_SPREAD["v"]),
    "z": Prior("Beta", alpha=_Z_CONCENTRATION, beta=_Z_CONCENTRATION),
    "p_outlier": Prior("Beta", alpha=HDDM_INTERCEPT["p_outlier"], beta=_WEIBULL),
    **{
        name: Prior("Gamma", mu=HDDM_INTERCEPT[name], sigma=_HDDM_SPREAD[name])
        for name in ("a", "t", "sv", "sz", "st")
    },
}
# bambi's width of the parent parameter's terms (its ``PriorScaler.STD``).
BAMBI_SD = 2.5
# hierax's "scaled" width of intercepts under a log or logit link: one unit of
# log/logit covers a factor of e in the parameter (or its odds).
SCALED_INTERCEPT_SD = 1.0


def free_prior(info: ParamInfo, bounds: tuple[float, float], family: str, prior_settings) -> Prior:
    """Default prior of a parameter without a formula.

    Examples
    --------
    >>> from hierax.families import get_family
    >>> a = get_family("ddm")["a"]
    >>> print(free_prior(a, a.bounds, "ddm", "safe"), free_prior(a, a.bounds, "ddm", "scaled"))
    HalfNormal(sigma: 2.0) Gamma(mu: 1.0, sigma: 0.75)
    """
    if prior_settings != "scaled" and family in HDDM_FAMILIES:
        return prior_from_bounds(bounds)
    return info.prior


def link_scale(info: ParamInfo, link: Link) -> float:
    """The parameter's typical spread carried to the link scale.

    Examples
    --------
    >>> from hierax.families import get_family
    >>> round(link_scale(get_family("ddm")["a"], Link("log")), 6)  # 0.25 / a's init 1.0
    0.25
    """
    if link.name == "identity":
        return info.scale
    slope = jax.grad(lambda x: link.forward(x))(float(info.init))
    return float(info.scale * abs(slope))


def term_priors(
    design: Design,
    info: ParamInfo,
    link: Link,
    prior_settings: str | None,
    *,
    family: str,
    bounds: tuple[float, float] | None = None,
    link_set: bool = False,
    parent: bool = True,
) -> dict[str, Prior]:
    """Default prior of every term of a parameter's formula, by term name.

    Parameters
    ----------
    design
        The parameter's design.
    info, link
        The parameter and its link.
    prior_settings
        ``"safe"``, ``None`` or ``"scaled"``.
    family
        The family's name (the DDMs get HSSM's HDDM priors under ``"safe"``).
    bounds
        The parameter's bounds (default ``info.bounds``).
    link_set
        Whether a link was set (``link=`` or ``link_settings``), as HSSM tests it.
    parent
        Whether the parameter is the first with a formula, whose terms bambi scales.

    Examples
    --------
    >>> from hierax.families import get_family
    >>> from hierax.design import make_design
    >>> import pandas as pd
    >>> design = make_design("v", "1 + (1|g)", pd.DataFrame({"g": [0, 1]}))
    >>> term_priors(design, get_family("ddm")["v"], Link(), None, family="ddm")["1|g"]
    Prior('Normal', mu=0.0, sigma=Prior('HalfNormal', sigma=2.5))
    """
    if prior_settings == "safe":
        linked = link_set or link.name != "identity"
        hddm = family in HDDM_FAMILIES and not linked and info.name in HDDM_INTERCEPT
        return _safe(design, info, bounds or info.bounds, hddm, linked)
    if prior_settings is None:
        return _bambi(design, BAMBI_SD if parent else 1.0, parent)
    return _scaled(design, info, link)


def _safe(design: Design, info: ParamInfo, bounds, hddm: bool, linked: bool) -> dict[str, Prior]:
    """HSSM's safe priors (its ``get_hddm_default_prior`` and ``get_default_prior``)."""
    priors: dict[str, Prior] = {}
    common = {t.name for t in design.common}
    for term in design.common:
        if not term.is_intercept:
            priors[term.name] = Prior("Normal", mu=0.0, sigma=SAFE_SD)
        elif hddm:
            priors[term.name] = HDDM_INTERCEPT[info.name]
        else:
            priors[term.name] = _safe_intercept(bounds, linked)
    for term in design.group:
        if ("Intercept" if term.is_intercept else term.expr) in common:
            priors[term.name] = Prior("Normal", mu=0.0, sigma=_WEIBULL)
        elif term.is_intercept and hddm:
            priors[term.name] = HDDM_GROUP[info.name]
        else:
            mean = Prior("Normal", mu=0.0, sigma=SAFE_SD)
            priors[term.name] = Prior("Normal", mu=mean, sigma=_WEIBULL)
    return priors


def _safe_intercept(bounds: tuple[float, float], linked: bool) -> Prior:
    """Normal(0, 0.25) under a link, else around the bounds' midpoint, truncated to them."""
    lower, upper = (float(b) for b in bounds)
    if linked or (math.isinf(lower) and math.isinf(upper)):
        return Prior("Normal", mu=0.0, sigma=SAFE_SD)
    mu = 0.5 * (lower + upper) if math.isfinite(lower) and math.isfinite(upper) else 0.0
    ends = {k: b for k, b in (("lower", lower), ("upper", upper)) if math.isfinite(b)}
    return Prior("TruncatedNormal", mu=mu, sigma=SAFE_SD, **ends)


def _bambi(design: Design, width: float, parent: bool) -> dict[str, Prior]:
    """bambi's default priors; those of the parent parameter scaled as bambi's PriorScaler does."""
    priors: dict[str, Prior] = {}
    slopes = []  # (sd of the prior, mean of the column) of each scaled common column
    for term in design.common:
        if term.is_intercept:
            continue
        columns = design.X[:, term.columns]
        sds = [_slope_sd(col, width) if parent else width for col in columns.T]
        slopes += zip(sds, columns.mean(axis=0), strict=True)
        priors[term.name] = Prior("Normal", mu=0.0, sigma=max(sds))
    intercept_sd = math.sqrt(width**2 + sum((sd * m) ** 2 for sd, m in slopes)) if parent else width
    for term in design.common:
        if term.is_intercept:
            priors[term.name] = Prior("Normal", mu=0.0, sigma=round(intercept_sd, 6))
    for term in design.group:
        if term.is_intercept or not parent:
            sd = intercept_sd if term.is_intercept else width
        else:
            sd = max(_slope_sd(col, width) for col in term.values.T)
        priors[term.name] = Prior("Normal", mu=0.0, sigma=Prior("HalfNormal", sigma=round(sd, 6)))
    # Formula order: common terms, then group terms.
    return {name: priors[name] for name in design.term_names}


def _slope_sd(column: np.ndarray, width: float) -> float:
    """bambi's slope width ``width / sd(x)`` (``width`` for a constant column)."""
    sd = float(np.std(column))
    return round(width / sd, 6) if sd > 0 else width


def _scaled(design: Design, info: ParamInfo, link: Link) -> dict[str, Prior]:
    """hierax's scaled priors."""
    has_intercept = any(t.is_intercept for t in design.common)
    spread = round(link_scale(info, link), 6)
    priors: dict[str, Prior] = {}
    for i, term in enumerate(design.common):
        cell_means = not has_intercept and i == 0 and term.labels is not None
        if not (term.is_intercept or cell_means):
            priors[term.name] = Prior("Normal", mu=0.0, sigma=spread)
        elif link.name == "identity":
            priors[term.name] = info.prior
        else:
            center = round(float(link.forward(float(info.init))), 6)
            priors[term.name] = Prior("Normal", mu=center, sigma=SCALED_INTERCEPT_SD)
    for term in design.group:
        priors[term.name] = Prior("Normal", mu=0.0, sigma=Prior("HalfNormal", sigma=spread))
    return priors
