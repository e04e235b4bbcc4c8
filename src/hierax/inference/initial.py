"""Initial values inside the support, for every site of a hierax model.

Intercepts start at the parameter's central value (on the link scale),
slopes and group effects at zero, group scales at a small positive value,
and ``t`` below every observed response time so that a model without a
lapse never starts at a density of zero. User initial values are checked:
the site must exist, the shape must fit, the value must lie in the site's
support, and every observation must have a finite log density there.

Examples
--------
>>> import hierax as hx
>>> data = hx.load_data("cavanagh_theta").query("participant_id < 3")
>>> m = hx.Model(data, include=[{"name": "t", "formula": "t ~ 1 + (1|participant_id)"}],
...              p_outlier=None, noncentered=True)
>>> values = initial_values(m.resolved)
>>> bool(values["t_Intercept"] < data["rt"].min())
True
>>> check_initial_values(m.model_fn, m.resolved, {"t_Intercept": 5.0})
Traceback (most recent call last):
...
ValueError: At the initial values, ... observation(s) have zero density ...
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from hierax._config import precision
from hierax.build import ParamPlan
from hierax.inference.sites import model_sites, site_shape, trace_at
from hierax.parameterisation import Parameterisation
from hierax.parameterisation import parameterisation as default_parameterisation
from hierax.resolve import Resolved
from hierax.spec.prior import Prior

__all__ = ["check_initial_values", "initial_values", "validate_initvals"]

# Fraction of the fastest response time at which t starts: far enough below
# min(rt) that every trial has a positive density, whatever the other parameters.
T_START_FRACTION = 0.5
# Observations listed in the message when the density is zero at the start.
_SHOWN = 3


def _central(prior: Prior | float) -> float:
    if not isinstance(prior, Prior):
        return float(prior)
    if prior.is_hierarchical:
        return 0.0
    d = prior.distribution()
    lower, upper = prior.support_bounds()
    value = float(np.mean(np.asarray(d.mean)))
    if not math.isfinite(value):
        value = 0.0
    if not lower < value < upper:
        value = 0.5 * (lower + upper) if math.isfinite(lower + upper) else lower + 1.0
    return value


def _hyper_values(site: str, prior: Prior | float, out: dict) -> None:
    if not isinstance(prior, Prior):
        return
    for key, hyper in prior.hyperpriors.items():
        _hyper_values(f"{site}_{key}", hyper, out)
        out[f"{site}_{key}"] = _central(hyper) * (0.5 if key in ("sigma", "scale") else 1.0)


def _plan_values(plan: ParamPlan, start: float, out: dict) -> None:
    if plan.kind == "free":
        lower, upper = plan.prior.support_bounds()
        inside = max(plan.bounds[0], lower) < start < min(plan.bounds[1], upper)
        out[plan.name] = start if inside else _central(plan.prior)
        return
    if plan.kind != "regression":
        return
    for term in plan.common:
        width = () if term.labels is None else (len(term.labels),)
        is_intercept = term.site.endswith("_Intercept") or term is plan.common[0]
        value = float(plan.link.forward(start)) if is_intercept else 0.0
        if not isinstance(term.prior, Prior):
            continue
        if not is_intercept and not term.prior.is_hierarchical:
            lower, upper = term.prior.support_bounds()
            if not lower < 0.0 < upper:
                value = _central(term.prior)
        out[term.site] = np.full(width, value) if width else value
        _hyper_values(term.site, term.prior, out)
    for group in plan.group:
        if not isinstance(group.prior, Prior):
            continue
        _hyper_values(group.site, group.prior, out)
        out[group.site] = np.zeros(group.shape)


def initial_values(resolved: Resolved) -> dict[str, np.ndarray | float]:
    """Initial values for the model's sample sites, keyed by site name.

    Parameters
    ----------
    resolved
        The resolved specification (``model.resolved``).

    Returns
    -------
    dict
        Site name to value (constrained space).
    """
    out: dict = {}
    obs = resolved.arrays["obs"]
    for plan in resolved.plans:
        start = plan.init
        if resolved.family.is_ssm and plan.name == "t":
            start = min(start, T_START_FRACTION * float(np.min(obs[:, 0])))
        _plan_values(plan, start, out)
    return out


def validate_initvals(
    model_fn: Callable,
    arrays: Mapping[str, Any],
    initvals: Mapping[str, Any],
    parameterisation: Parameterisation | None = None,
) -> dict[str, np.ndarray]:
    """Check user initial values against the model's sites; return them as arrays.

    A group term's effects (``v_1|participant_id``) may be given whatever the
    parameterisation, as may the sites it samples (``..._offset``, ``..._level``).

    Raises
    ------
    ValueError
        For a name that is not a sampled site (the message lists the sites),
        a value of the wrong shape, or a value outside the site's support.
    """
    if not isinstance(initvals, Mapping):
        raise TypeError(
            f"initvals must be a dict from site name to value, got {type(initvals).__name__}."
        )
    sites = model_sites(model_fn, arrays)
    latent = dict(sites.latent)
    if parameterisation is not None:
        latent.update(model_sites(parameterisation.apply(model_fn), arrays).latent)
    out = {}
    for name, value in initvals.items():
        if name not in latent:
            hint = ""
            if name in sites.deterministic:
                hint = f" {name!r} is computed from other sites; give those instead."
            raise ValueError(
                f"initvals: the model has no sampled site {name!r}.{hint} Its sites are: "
                f"{', '.join(latent)}."
            )
        site = latent[name]
        shape = site_shape(site)
        try:
            numeric = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(
                f"initvals[{name!r}] = {value!r} is not a number (or an array of numbers); "
                f"give a float{' array of shape ' + str(shape) if shape else ''}."
            ) from None
        try:
            array = np.broadcast_to(numeric, shape).copy()
        except ValueError:
            raise ValueError(
                f"initvals[{name!r}] has shape {np.shape(value)}, but the site has shape {shape}."
            ) from None
        inside = np.asarray(site["fn"].support(jnp.asarray(array)))
        if not inside.all() or not np.isfinite(array).all():
            raise ValueError(
                f"initvals[{name!r}] = {np.asarray(value).tolist()} is outside the support of "
                f"its prior {type(site['fn']).__name__} ({site['fn'].support}). "
                "Choose a value inside it."
            )
        out[name] = array
    return out


@partial(jax.jit, static_argnums=(0, 1))
def _observation_densities(model_fn, obs_site, arrays, start):
    """Per-observation log densities and likelihood parameters at ``start``, compiled once
    (evaluated eagerly, each of the model's primitives would be compiled separately)."""
    site = trace_at(model_fn, arrays, start)[obs_site]
    return site["fn"].log_prob(site["value"]), site["fn"].params


def check_initial_values(
    model_fn: Callable,
    resolved: Resolved,
    values: Mapping[str, Any],
    floatX: str | None = None,
    parameterisation: Parameterisation | None = None,
) -> None:
    """Raise if any observation has zero density (or NaN) at the initial values.

    Parameters
    ----------
    model_fn, resolved
        The model function and its resolved specification.
    values
        Initial values by site name, of the sites ``parameterisation`` samples
        (default: the Model's, as NUTS uses); sites not given take hierax's defaults.

    Raises
    ------
    ValueError
        Naming the first observations at fault and the parameter values there.
    """
    parameterisation = parameterisation or default_parameterisation(resolved)
    start = {**parameterisation.latent_values(initial_values(resolved)), **values}
    fn = parameterisation.apply(model_fn)
    with precision(floatX):
        logp, params = _observation_densities(fn, resolved.obs_site, resolved.arrays, start)
    logp = np.asarray(logp)
    bad = np.flatnonzero(~np.isfinite(logp))
    if not len(bad):
        return
    params = {k: np.broadcast_to(np.asarray(v), logp.shape) for k, v in params.items()}
    obs = resolved.arrays["obs"]
    rows = "; ".join(
        f"observation {i} ({', '.join(resolved.response)} = {np.atleast_1d(obs[i]).tolist()}): "
        + ", ".join(f"{k}={float(v[i]):.4g}" for k, v in params.items())
        for i in bad[:_SHOWN]
    )
    raise ValueError(
        f"At the initial values, {len(bad)} observation(s) have zero density (log density "
        f"-inf or NaN); first: {rows}. Change the initial values (e.g. t below the fastest rt) "
        "or add a lapse (p_outlier)."
    )
