"""Default priors of regression terms: ``prior_settings="safe"`` and ``None``.

For a parameter with a formula, each term without a user prior gets one from
this table. ``s`` is the family's typical between-participant spread of the
parameter (``ParamInfo.scale``), carried to the link scale by the slope of
the link at the parameter's central value (``s * |g'(init)|``).

========================= =============================== =============================
term                      ``"safe"``                      ``None`` (plain)
========================= =============================== =============================
Intercept, identity link  the parameter's default prior   the parameter's default prior
Intercept, log/logit link Normal(g(init), 1)              Normal(g(init), 2.5)
cell means (``0 + C(x)``) as the Intercept                as the Intercept
other common terms        Normal(0, s)                    Normal(0, 2.5)
group-specific terms      Normal(0, HalfNormal(s))        Normal(0, HalfNormal(2.5))
========================= =============================== =============================

Examples
--------
>>> from hierax.families import get_family
>>> from hierax.spec import Link
>>> term_default("group", get_family("ddm")["v"], Link("identity"), "safe")
Prior('Normal', mu=0.0, sigma=Prior('HalfNormal', sigma=0.5))
"""

from __future__ import annotations

import jax

from hierax.families.base import ParamInfo
from hierax.spec.link import Link
from hierax.spec.prior import Prior

__all__ = ["PRIOR_SETTINGS", "link_scale", "term_default"]

PRIOR_SETTINGS = ("safe", None)
# Width, on the link scale, of intercept priors under a log or logit link:
# one unit of log/logit covers a factor of e in the parameter (or its odds).
SAFE_INTERCEPT_SD = 1.0
# bambi-like unscaled width used by prior_settings=None.
PLAIN_SD = 2.5


def link_scale(info: ParamInfo, link: Link) -> float:
    """The parameter's typical spread carried to the link scale."""
    if link.name == "identity":
        return info.scale
    slope = jax.grad(lambda x: link.forward(x))(float(info.init))
    return float(info.scale * abs(slope))


def term_default(kind: str, info: ParamInfo, link: Link, prior_settings: str | None) -> Prior:
    """Default prior of a term of ``kind`` "intercept", "common" or "group"."""
    safe = prior_settings == "safe"
    if kind == "intercept":
        if link.name == "identity":
            return info.prior
        center = round(float(link.forward(float(info.init))), 6)
        return Prior("Normal", mu=center, sigma=SAFE_INTERCEPT_SD if safe else PLAIN_SD)
    spread = round(link_scale(info, link), 6) if safe else PLAIN_SD
    if kind == "common":
        return Prior("Normal", mu=0.0, sigma=spread)
    if kind == "group":
        return Prior("Normal", mu=0.0, sigma=Prior("HalfNormal", sigma=spread))
    raise ValueError(f"Unknown term kind {kind!r}.")
