"""The text of ``print(model)``: the model, its data, and each parameter's formula, priors, link."""

from __future__ import annotations

from hierax.build import ParamPlan
from hierax.resolve import LAPSE_NAME, Resolved

__all__ = ["describe"]


def _plan_lines(plan: ParamPlan, formula: str | None) -> list[str]:
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
        lines.append(f"    Link: {plan.link}")
    lines.append(
        f"    Explicit bounds: ({plan.bounds[0]:g}, {plan.bounds[1]:g})"
        + ("  [values outside get log density -inf]" if plan.check_bounds else "")
    )
    return lines


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
        "",
        "Parameters:",
        "",
    ]
    for plan in resolved.plans:
        if plan.name == LAPSE_NAME:
            continue
        lines += _plan_lines(plan, resolved.params[plan.name].formula) + [""]
    lapse_plan = next((p for p in resolved.plans if p.name == LAPSE_NAME), None)
    if resolved.lapse is not None and lapse_plan is not None:
        if lapse_plan.kind == "fixed":
            lines.append(f"Lapse probability: {lapse_plan.value:g}")
        elif lapse_plan.kind == "free":
            lines.append(f"Lapse probability: {lapse_plan.prior}")
        else:
            lines += _plan_lines(lapse_plan, resolved.params[LAPSE_NAME].formula)
        lines.append(f"Lapse distribution: {resolved.lapse.prior}")
    elif family.kind != "generic":
        lines.append("Lapse: none (p_outlier=None)")
    return "\n".join(lines).rstrip() + "\n"
