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

from hierax.build import ParamPlan
from hierax.families.ez import ez_diffusion
from hierax.resolve import Resolved
from hierax.spec.prior import Prior

__all__ = ["ez_diffusion", "ez_initial_values"]  # ez_diffusion: hierax.families.ez

# Without a lapse, non-decision time starts at no more than this fraction of a level's
# fastest response (the margin of hierax.inference.initial: every trial has a positive
# density); with a lapse the mixture keeps the density positive and t starts at EZ's value.
T_MAX_FRACTION = 0.5
# Group sds start at least at this fraction of their parameter's prior scale, so that a
# spread that happens to be tiny among the estimates does not pin the sd near zero.
SD_FLOOR_FRACTION = 0.2


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

    Only parameters the family's ``moment_estimates`` estimates (the DDM families:
    ``v``, ``a``, ``z``, ``t`` by EZ-diffusion) with an ``Intercept`` and a ``(1|g)``
    term are set; every other site, and every family without estimates, keeps
    hierax's default start.

    Parameters
    ----------
    resolved
        The resolved specification (``model.resolved``).

    Returns
    -------
    dict
        Site name to initial value (constrained space), for
        ``model.sample(initvals=...)``.
    """
    estimate = resolved.family.moment_estimates
    if estimate is None:
        return {}
    obs = resolved.arrays["obs"]
    rt, response = obs[:, 0], obs[:, 1]
    names = tuple(estimate(rt, response, math.inf))
    out: dict[str, np.ndarray | float] = {}
    for plan in resolved.plans:
        group = _simple_group_term(plan) if plan.name in names else None
        if group is None:
            continue
        index = np.asarray(resolved.arrays[f"{group.site}|index"]).ravel()
        levels = [np.flatnonzero(index == k) for k in range(group.n_groups)]
        if min(len(rows) for rows in levels) < 2:
            continue
        values = np.array(
            [
                estimate(rt[rows], response[rows], _t_max(rt[rows], resolved))[plan.name]
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
        out[group.site] = eta - center
    return out
