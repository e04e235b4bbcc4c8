"""Resolve a user's specification into plans and arrays (host side, before any tracing).

Every user mistake that can be caught here is caught here, with a message
naming the parameter, term or column at fault.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from hierax.build import CommonPlan, GroupPlan, LapsePlan, ParamPlan, level_intercept
from hierax.centering import information_ratio, required_ratio, trial_scores
from hierax.defaults import PRIOR_SETTINGS, free_prior, prior_table, term_priors
from hierax.design import Design, make_design
from hierax.families import Family, ParamInfo, get_family, is_builtin
from hierax.families.custom import check_family
from hierax.observations import observations, response_columns
from hierax.spec.link import Link
from hierax.spec.param import Param, ParamLike, as_param
from hierax.spec.prior import Prior, as_prior

__all__ = ["LAPSE_NAME", "NONCENTERED", "Resolved", "resolve"]

LAPSE_NAME = "p_outlier"
# Model(noncentered=...): non-centred, centred, or chosen per group term from the data.
NONCENTERED = (True, False, "auto")

LINK_SETTINGS = (None, "log_logit")
_P_OUTLIER_INFO = ParamInfo(
    LAPSE_NAME,
    (0.0, 1.0),
    Prior("Beta", alpha=1.0, beta=19.0),
    0.02,
    0.05,
    "probability of a lapse trial",
)


@dataclass(frozen=True)
class Resolved:
    """Everything the model function and the results need, as plain values and arrays."""

    family: Family
    params: dict[str, Param]
    plans: tuple[ParamPlan, ...]
    designs: dict[str, Design]
    arrays: dict[str, np.ndarray]
    obs_site: str
    response: tuple[str, ...]
    lapse: LapsePlan | None
    dims: dict[str, list[str]] = field(default_factory=dict)
    coords: dict[str, list[Any]] = field(default_factory=dict)
    prior_settings: str | None = "safe"
    link_settings: str | None = None


def _link_for(info: ParamInfo, bounds, family: Family, link_settings, explicit) -> Link:
    if explicit is not None:
        return explicit if isinstance(explicit, Link) else Link(explicit, bounds=bounds)
    if info.name in family.default_links:
        return Link(family.default_links[info.name], bounds=bounds)
    if link_settings == "log_logit":
        lower, upper = bounds
        if math.isfinite(lower) and math.isfinite(upper):
            return Link("logit", bounds=bounds)
        if math.isfinite(lower):
            return Link("log", bounds=bounds)
    return Link("identity", bounds=bounds)


def _collect_params(family: Family, include, global_formula, p_outlier) -> dict[str, Param]:
    valid = family.param_names + (LAPSE_NAME,)
    given: dict[str, Param] = {}
    for spec in include or ():
        param = as_param(spec)
        if param.name not in valid:
            raise ValueError(
                f"Model {family.name!r} has no parameter {param.name!r}; its parameters are "
                f"{', '.join(family.param_names)} (and {LAPSE_NAME})."
            )
        if param.name in given:
            raise ValueError(f"Parameter {param.name!r} appears twice in include=.")
        given[param.name] = param
    if isinstance(p_outlier, (Param, Mapping)) and not isinstance(p_outlier, Prior):
        lapse_param = as_param(
            {"name": LAPSE_NAME, **p_outlier}
            if isinstance(p_outlier, Mapping) and "name" not in p_outlier
            else p_outlier
        )
        given[LAPSE_NAME] = lapse_param
    if global_formula is not None:
        if "~" not in global_formula:
            raise ValueError(
                f"global_formula must look like 'y ~ 1 + ...', got {global_formula!r}."
            )
        rhs = global_formula.split("~", 1)[1].strip()
        for name in family.param_names:
            if family[name].default is not None and name not in given:
                continue  # a parameter fixed by default (the LBA's t, s) stays fixed
            if name not in given:
                given[name] = Param(name, formula=f"{name} ~ {rhs}")
            elif given[name].formula is None and given[name].prior is None:
                given[name] = given[name].with_formula(f"{name} ~ {rhs}")
    return given


def _term_priors(param: Param, design: Design, defaults: dict[str, Prior]) -> dict:
    """The user's term priors over the defaults."""
    user = dict(param.prior or {}) if isinstance(param.prior, dict) else {}
    if param.prior is not None and not isinstance(param.prior, dict):
        raise ValueError(
            f"Parameter {param.name!r} has a formula, so its prior must be a dict from term "
            f"name to prior (terms: {', '.join(design.term_names)})."
        )
    unknown = sorted(set(user) - set(design.term_names))
    if unknown:
        warnings.warn(
            f"Prior key(s) {', '.join(map(repr, unknown))} of parameter {param.name!r} match no "
            f"term of '{param.formula}'; its terms are: {', '.join(design.term_names)}.",
            UserWarning,
            stacklevel=5,
        )
    return {**defaults, **{k: v for k, v in user.items() if k in defaults}}


def _centered(param: Param, term, noncentered: bool | str, info: ParamInfo, scores) -> bool:
    """Centred or not: the Param's ``centered`` first, then the Model's ``noncentered``."""
    if isinstance(param.centered, Mapping) and term.name in param.centered:
        return bool(param.centered[term.name])
    if param.centered is not None and not isinstance(param.centered, Mapping):
        return bool(param.centered)
    if noncentered != "auto":
        return not noncentered
    if scores is None or info.name not in scores:
        return False
    ratio = information_ratio(scores[info.name], term.index, term.values, term.n_groups, info.scale)
    return ratio >= required_ratio(term.n_groups)


def _check_prior_support(name: str, prior: Prior, bounds) -> bool:
    """Raise if the prior's support misses the bounds; True if it extends past them."""
    lower, upper = prior.support_bounds()
    if lower >= bounds[1] or upper <= bounds[0]:
        raise ValueError(
            f"The prior {prior} of {name!r} has support ({lower:g}, {upper:g}), outside the "
            f"parameter's bounds {bounds}. Choose a prior inside the bounds."
        )
    return lower < bounds[0] or upper > bounds[1]


def _plan(param: Param, info: ParamInfo, family: Family, data: pd.DataFrame, settings) -> tuple:
    prior_settings, link_settings, noncentered, scores, parent = settings
    prior_settings = prior_table(prior_settings, family.kind)
    bounds = param.bounds or info.bounds
    if param.formula is None:
        prior = param.prior
        if prior is None:
            prior = free_prior(info, bounds, family.name, prior_settings)
        if not isinstance(prior, Prior):
            value = float(prior)
            if not bounds[0] <= value <= bounds[1]:
                raise ValueError(f"The fixed value {value} of {param.name!r} is outside {bounds}.")
            return ParamPlan(param.name, "fixed", Link(), bounds, value, value=value), None, param
        wide = _check_prior_support(param.name, prior, bounds)
        plan = ParamPlan(
            param.name, "free", Link(), bounds, _init(info, bounds), prior=prior, check_bounds=wide
        )
        return plan, None, param
    link = _link_for(info, bounds, family, link_settings, param.link)
    design = make_design(param.name, param.rhs, data)
    defaults = term_priors(
        design,
        info,
        link,
        prior_settings,
        family=family.name,
        bounds=bounds,
        link_set=param.link is not None or link_settings is not None,
        parent=param.name == parent,
    )
    priors = _term_priors(param, design, defaults)
    common = tuple(
        CommonPlan(f"{param.name}_{t.name}", t.columns, t.labels, priors[t.name])
        for t in design.common
    )
    group = tuple(
        GroupPlan(
            f"{param.name}_{t.name}",
            t.factor,
            t.n_groups,
            t.expr_labels,
            priors[t.name],
            _centered(param, t, noncentered, info, scores),
        )
        for t in design.group
    )
    check = link.name == "identity" and any(math.isfinite(b) for b in bounds)
    plan = ParamPlan(
        param.name,
        "regression",
        link,
        bounds,
        _init(info, bounds),
        common=common,
        group=group,
        check_bounds=check,
    )
    return plan, design, param


def _init(info: ParamInfo, bounds) -> float:
    lower, upper = bounds
    if lower < info.init < upper:
        return info.init
    if math.isfinite(lower) and math.isfinite(upper):
        return 0.5 * (lower + upper)
    return lower + 1.0 if math.isfinite(lower) else upper - 1.0


def _lapse(family: Family, p_outlier, lapse) -> tuple[Any, LapsePlan | None]:
    if p_outlier is None:
        return None, None
    if family.kind == "generic":
        raise ValueError(
            f"p_outlier (a lapse mixture) applies to models of choices, not to {family.name!r}."
        )
    if isinstance(p_outlier, Prior):
        _check_prior_support(LAPSE_NAME, p_outlier, (0.0, 1.0))
    elif not isinstance(p_outlier, (Param, Mapping)):
        value = float(p_outlier)
        if not 0.0 <= value < 1.0:
            raise ValueError(f"p_outlier must lie in [0, 1), got {value}.")
        if value == 0.0:
            return None, None
    lapse = as_prior(lapse)
    if not isinstance(lapse, Prior):
        raise ValueError(
            f"lapse must be a Prior over rt, e.g. Prior('Uniform', lower=0, upper=20); "
            f"got {lapse!r}."
        )
    support = lapse.support_bounds()
    if family.kind == "rt_choice" and support[0] < 0.0:
        # REVIEW.md B4: lapse rts below 0 would make the mixture no density over rt > 0.
        raise ValueError(
            f"lapse={lapse} has support {support}, which includes negative "
            "response times; give a prior over rt > 0, e.g. Prior('Uniform', lower=0, upper=20)."
        )
    return p_outlier, LapsePlan(lapse, family.n_choices)


def _start_values(family: Family, plans, obs: np.ndarray) -> dict[str, float]:
    """Each likelihood parameter's fixed value or starting value (t below the fastest rt)."""
    start = {}
    for plan in plans:
        if plan.name in family.param_names:
            start[plan.name] = plan.value if plan.kind == "fixed" else plan.init
    if family.kind == "rt_choice" and "t" in start and "t" not in _fixed(plans):
        start["t"] = min(start["t"], 0.5 * float(np.min(obs[:, 0])))
    return start


def _fixed(plans) -> dict[str, float]:
    return {p.name: p.value for p in plans if p.kind == "fixed"}


def _check_constraints(family: Family, plans) -> None:
    """Refuse fixed values that break a rule between parameters (e.g. the LBA's b > A)."""
    fixed = _fixed(plans)
    values = {p.name: (p.value if p.kind == "fixed" else p.init) for p in plans}
    for constraint in family.constraints:
        if bool(np.all(constraint.holds(values))):
            continue
        shown = ", ".join(
            f"{name}={values[name]:g}" + (" (fixed)" if name in fixed else " (start)")
            for name in family.param_names
            if name in re.findall(r"[A-Za-z_]\w*", constraint.rule)
        )
        raise ValueError(
            f"Model {family.name!r} needs {constraint.rule}, which fails at {shown}. "
            "Change the fixed value(s) so that the rule holds."
        )


_DEFAULT = object()


def resolve(
    data: pd.DataFrame,
    model: str | Family = "ddm",
    include: Sequence[ParamLike] | None = None,
    global_formula: str | None = None,
    prior_settings: str | None = "safe",
    link_settings: str | None = None,
    p_outlier: Any = _DEFAULT,
    lapse: Any = None,
    choices: Sequence[float] | None = None,
    response: str | Sequence[str] | None = None,
    noncentered: bool | str = True,
) -> Resolved:
    """Check and resolve a specification (see :class:`hierax.Model` for the arguments)."""
    family = get_family(model)
    if isinstance(noncentered, str) and noncentered != "auto" or noncentered not in NONCENTERED:
        raise ValueError(f"noncentered must be True, False or 'auto', got {noncentered!r}.")
    if prior_settings not in PRIOR_SETTINGS:
        raise ValueError(f"prior_settings must be one of {PRIOR_SETTINGS}, got {prior_settings!r}.")
    if link_settings not in LINK_SETTINGS:
        raise ValueError(f"link_settings must be one of {LINK_SETTINGS}, got {link_settings!r}.")
    if p_outlier is _DEFAULT:
        p_outlier = 0.05 if family.kind == "rt_choice" else None
    obs = observations(data, family, response, choices)
    family = family.for_data(obs if obs.ndim == 1 else obs[:, 0])
    p_outlier, lapse_plan = _lapse(family, p_outlier, lapse)
    given = _collect_params(family, include, global_formula, p_outlier)
    infos = list(family.params)
    if lapse_plan is not None:
        if not isinstance(p_outlier, (Param, Mapping)) or isinstance(p_outlier, Prior):
            given[LAPSE_NAME] = Param(LAPSE_NAME, prior=p_outlier)
        infos.append(_P_OUTLIER_INFO)
    elif LAPSE_NAME in given:
        raise ValueError(
            "p_outlier appears in include= but the model has no lapse (p_outlier=None)."
        )
    scores = trial_scores(family, obs) if noncentered == "auto" else None
    # HSSM's "parent": the first parameter with a formula, whose terms bambi scales.
    parent = next((i.name for i in infos if i.name in given and given[i.name].formula), None)
    settings = (prior_settings, link_settings, noncentered, scores, parent)
    plans, designs, params = [], {}, {}
    for info in infos:
        # A parameter with a default value (the LBA's t and s) is fixed there unless included.
        fallback = Param(info.name, prior=info.default) if info.default is not None else None
        param = given.get(info.name, fallback or Param(info.name))
        plan, design, param = _plan(param, info, family, data, settings)
        plans.append(plan)
        params[info.name] = param
        if design is not None:
            designs[info.name] = design
    _check_constraints(family, plans)
    if not is_builtin(family):
        check_family(family, obs, _start_values(family, plans, obs))
    arrays = {"obs": obs}
    dims: dict[str, list[str]] = {}
    coords: dict[str, list[Any]] = {}
    for plan in plans:
        if plan.kind != "regression":
            continue
        design = designs[plan.name]
        arrays[f"{plan.name}|X"] = design.X
        for c in plan.common:
            if c.labels is not None:
                dims[c.site] = [f"{c.site}_dim"]
                coords[f"{c.site}_dim"] = list(c.labels)
        for g, term in zip(plan.group, design.group, strict=True):
            arrays[f"{g.site}|index"] = term.index
            arrays[f"{g.site}|values"] = term.values
            coords[g.factor] = list(term.levels)
            dims[g.site] = [g.factor] + ([f"{g.site}_dim"] if g.expr_labels else [])
            if g.expr_labels:
                coords[f"{g.site}_dim"] = list(g.expr_labels)
            if isinstance(g.prior, Prior):  # the sites each parameterisation samples
                dims[f"{g.site}_offset"] = dims[g.site]
                dims[f"{g.site}_decentered"] = dims[g.site]
            if level_intercept(plan, g) is not None:
                dims[f"{g.site}_level"] = dims[g.site]
        if plan.name == LAPSE_NAME:
            dims[plan.name] = ["__obs__"]
    columns = response_columns(family, response)
    return Resolved(
        family=family,
        params=params,
        plans=tuple(plans),
        designs=designs,
        arrays=arrays,
        obs_site=",".join(columns),
        response=columns,
        lapse=lapse_plan,
        dims=dims,
        coords=coords,
        prior_settings=prior_settings,
        link_settings=link_settings,
    )
