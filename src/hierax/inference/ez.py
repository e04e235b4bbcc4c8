"""Starting values for DDM fits from per-level EZ-diffusion estimates.

The EZ-diffusion model (Wagenmakers, van der Maas & Grasman, 2007) turns three
summary statistics of one participant's data (the proportion of upper-boundary
responses and the mean and variance of the response times) into closed-form
estimates of drift, boundary separation and non-decision time, assuming an
unbiased start point. Computed per level of a model's grouping factor, they
give every site of ``v ~ 1 + (1|participant_id)``-type regressions a starting
value near the posterior: the intercept at the mean of the per-level values
(link scale), the group sd at their spread, and each level's effect (or
non-centred offset) at its own estimate. NUTS warm-up then starts in the bulk
of the posterior instead of at the prior's centre.

Examples
--------
>>> import hierax as hx
>>> data = hx.load_data("cavanagh_theta")
>>> m = hx.Model(data, global_formula="y ~ 1 + (1|participant_id)")
>>> values = ez_initial_values(m.resolved)
>>> round(values["v_Intercept"], 2), round(values["a_Intercept"], 2)
(0.46, 0.87)
"""

from __future__ import annotations

import math

import numpy as np

from hierax.build import ParamPlan, level_site
from hierax.resolve import Resolved
from hierax.spec.prior import Prior

__all__ = ["ez_diffusion", "ez_initial_values"]

# Proportions of upper responses are kept this far from 0, 1/2 and 1 (in units of 1/n):
# EZ's drift is 0 at exactly 1/2 and infinite at 0 or 1 (the usual edge correction).
_EDGE = 0.5
# Without a lapse, non-decision time starts at no more than this fraction of a level's
# fastest response (the margin of hierax.inference.initial: every trial has a positive
# density); with a lapse the mixture keeps the density positive and t starts at EZ's value.
# Never below 10 ms.
T_MAX_FRACTION = 0.5
T_MIN = 0.01
# Group sds start at least at this fraction of their parameter's prior scale, so that a
# spread that happens to be tiny among the estimates does not pin the sd near zero.
SD_FLOOR_FRACTION = 0.2


def ez_diffusion(rt: np.ndarray, upper: np.ndarray, t_max: float = math.inf) -> dict[str, float]:
    """EZ-diffusion estimates of ``v``, ``a`` (half the separation), ``z``, ``t``.

    Parameters
    ----------
    rt
        Response times (s) of one participant, shape (n,).
    upper
        True for upper-boundary responses, shape (n,).
    t_max
        Upper limit of the non-decision time estimate (s).

    Returns
    -------
    dict
        ``v`` (unit diffusion coefficient), ``a`` (HSSM's: half the boundary
        separation), ``z = 0.5`` and ``t`` (s), in hierax's parameterisation.

    Examples
    --------
    >>> import numpy as np
    >>> est = ez_diffusion(np.array([0.5, 0.7, 0.6, 0.9, 0.55]), np.array([1, 1, 1, 0, 1]) > 0)
    >>> sorted(est), est["v"] > 0
    (['a', 't', 'v', 'z'], True)
    """
    rt = np.asarray(rt, dtype=float)
    n = len(rt)
    p = float(np.mean(upper))
    edge = _EDGE / n
    p = min(max(p, edge), 1.0 - edge)
    if abs(p - 0.5) < edge:
        p = 0.5 + edge
    var = max(float(np.var(rt)), 1e-4)
    mean = float(np.mean(rt))
    logit = math.log(p / (1.0 - p))
    x = logit * (logit * p * p - logit * p + p - 0.5) / var
    v = math.copysign(abs(x) ** 0.25, p - 0.5)
    separation = logit / v
    y = -v * separation
    decision = separation / (2.0 * v) * (-math.expm1(y)) / (1.0 + math.exp(y))
    t = max(min(mean - decision, t_max), T_MIN)
    return {"v": v, "a": 0.5 * separation, "z": 0.5, "t": t}


def _t_max(rt: np.ndarray, resolved: Resolved) -> float:
    return math.inf if resolved.lapse is not None else T_MAX_FRACTION * float(np.min(rt))


def _simple_group_term(plan: ParamPlan):
    """The plan's ``(1|g)`` term if the plan is ``Intercept + (1|g)`` (plus other terms)."""
    if plan.kind != "regression" or not plan.common:
        return None
    if not plan.common[0].site.endswith("_Intercept"):
        return None
    for group in plan.group:
        if group.expr_labels is None and group.site.endswith(f"_1|{group.factor}"):
            return group
    return None


def ez_initial_values(resolved: Resolved) -> dict[str, np.ndarray | float]:
    """Initial values of the intercepts, group sds and group effects from EZ estimates.

    Only DDM-family parameters ``v``, ``a``, ``z``, ``t`` with an ``Intercept`` and a
    ``(1|g)`` term are set; every other site keeps hierax's default start.

    Parameters
    ----------
    resolved
        The resolved specification of an SSM (``model.resolved``).

    Returns
    -------
    dict
        Site name to initial value (constrained space), for
        ``model.sample(initvals=...)``.
    """
    if not resolved.family.is_ssm:
        return {}
    obs = resolved.arrays["obs"]
    rt, upper = obs[:, 0], obs[:, 1] > 0
    out: dict[str, np.ndarray | float] = {}
    for plan in resolved.plans:
        group = _simple_group_term(plan) if plan.name in ("v", "a", "z", "t") else None
        if group is None:
            continue
        index = np.asarray(resolved.arrays[f"{group.site}|index"]).ravel()
        levels = [np.flatnonzero(index == k) for k in range(group.n_groups)]
        if min(len(rows) for rows in levels) < 2:
            continue
        values = np.array(
            [
                ez_diffusion(rt[rows], upper[rows], t_max=_t_max(rt[rows], resolved))[plan.name]
                for rows in levels
            ]
        )
        lower, high = plan.bounds
        values = np.clip(values, np.nextafter(lower, high), np.nextafter(high, lower))
        eta = np.asarray(plan.link.forward(values), dtype=float)
        center = float(np.mean(eta))
        scale = group.prior.hyperpriors.get("sigma") if isinstance(group.prior, Prior) else None
        sd = float(np.std(eta))
        if isinstance(scale, Prior):
            floor = SD_FLOOR_FRACTION * float(scale.distribution().mean)
            sd = max(sd, floor)
            out[f"{group.site}_sigma"] = sd
        out[plan.common[0].site] = center
        level = level_site(plan, group)
        if level is not None:
            out[level] = eta
        elif group.centered:
            out[group.site] = eta - center
        else:
            out[f"{group.site}_offset"] = (eta - center) / sd
    return out
