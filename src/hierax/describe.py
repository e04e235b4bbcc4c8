"""The text of ``print(model)``: the model, its data, and each parameter's formula, priors, link.

Priors, links and bounds are printed as HSSM prints them, so that the two can
be held side by side; the line "Default priors:" says which table of
:mod:`hierax.defaults` filled in the priors not given.

Examples
--------
>>> import hierax as hx
>>> data = hx.simulate_data("ddm", {"v": 1.0, "a": 1.0, "z": 0.5, "t": 0.3}, size=20, seed=0)
>>> model = hx.Model(data, include=[{"name": "a", "formula": "a ~ 1"}], link_settings="log_logit")
>>> text = str(model)
>>> print(text[text.index("Default"):text.index("z:")])  # doctest: +NORMALIZE_WHITESPACE
Default priors: prior_settings='safe' (HSSM's safe priors)
Parameters:
v:
    Prior: Normal(mu: 0.0, sigma: 2.0)
    Explicit bounds: (-inf, inf)
a:
    Formula: a ~ 1
    Priors:
        a_Intercept ~ Normal(mu: 0.0, sigma: 0.25)
    Link: log
    Explicit bounds: (0.0, inf) (ignored due to link function)
"""

from __future__ import annotations

from hierax.build import ParamPlan
from hierax.defaults import TABLE_NAMES, prior_table
from hierax.resolve import LAPSE_NAME, Resolved
from hierax.spec.link import Link

__all__ = ["describe"]


def _link_text(link: Link) -> str:
    """A link as HSSM prints it (its bounded logit is "Generalized logit ...")."""
    if link.name != "logit":
        return str(link)
    return f"Generalized logit link function with bounds {_bounds_text(link.bounds)}"


def _bounds_text(bounds: tuple[float, float]) -> str:
    """``(0.0, inf)``: HSSM prints bounds as a tuple of floats."""
    return f"({float(bounds[0])!r}, {float(bounds[1])!r})"


def _bounds_note(plan: ParamPlan, link_settings: str | None) -> str:
    """What the bounds do: checked on the values, or moot under a link."""
    if plan.check_bounds:
        return "  [values outside get log density -inf]"
    linked = plan.link.name != "identity" or link_settings is not None
    return " (ignored due to link function)" if plan.kind == "regression" and linked else ""


def _plan_lines(plan: ParamPlan, formula: str | None, link_settings: str | None) -> list[str]:
    lines = [f"{plan.name}:"]
    if plan.kind == "fixed":
        lines.append(f"    Value: {plan.value:g} (fixed)")
    elif plan.kind == "free":
        lines.append(f"    Prior: {plan.prior}")
    else:
        lines.append(f"    Formula: {formula}")
        lines.append("    Priors:")
        for term in plan.common + plan.group:
            centring = ""
            if term in plan.group:
                centring = "  (centred)" if term.centered else "  (non-centred)"
            lines.append(f"        {term.site} ~ {term.prior}{centring}")
        lines.append(f"    Link: {_link_text(plan.link)}")
    lines.append(
        f"    Explicit bounds: {_bounds_text(plan.bounds)}{_bounds_note(plan, link_settings)}"
    )
    return lines


def _table_name(prior_settings: str | None, family_kind: str) -> str:
    table = prior_table(prior_settings, family_kind)
    if table != prior_settings:
        return f"{TABLE_NAMES[table]}: HSSM's safe table covers sequential sampling models"
    return TABLE_NAMES[table]


def describe(resolved: Resolved, n_obs: int) -> str:
    """The description printed by ``print(model)``."""
    family = resolved.family
    kind = {
        "rt_choice": "Hierarchical Sequential Sampling Model",
        "choice": "Hierarchical Choice Model",
    }.get(family.kind, "Hierarchical Model")
    lines = [
        kind,
        f"Model: {family.name}" + (f" ({family.description})" if family.description else ""),
        "",
        f"Response variable: {resolved.obs_site}",
        f"Likelihood: {family.likelihood if family.kind != 'generic' else family.name}",
        f"Observations: {n_obs}",
        f"Default priors: prior_settings={resolved.prior_settings!r} "
        f"({_table_name(resolved.prior_settings, family.kind)})",
        "",
        "Parameters:",
        "",
    ]
    for plan in resolved.plans:
        if plan.name == LAPSE_NAME:
            continue
        formula = resolved.params[plan.name].formula
        lines += _plan_lines(plan, formula, resolved.link_settings) + [""]
    lapse_plan = next((p for p in resolved.plans if p.name == LAPSE_NAME), None)
    if resolved.lapse is not None and lapse_plan is not None:
        if lapse_plan.kind == "fixed":
            lines.append(f"Lapse probability: {lapse_plan.value:g}")
        elif lapse_plan.kind == "free":
            lines.append(f"Lapse probability: {lapse_plan.prior}")
        else:
            lines += _plan_lines(
                lapse_plan, resolved.params[LAPSE_NAME].formula, resolved.link_settings
            )
        lines.append(f"Lapse distribution: {resolved.lapse.prior}")
    elif family.kind != "generic":
        lines.append("Lapse: none (p_outlier=None)")
    return "\n".join(lines).rstrip() + "\n"
