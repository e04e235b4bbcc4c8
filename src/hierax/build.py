"""From a resolved specification to one NumPyro model function.

The host side (:mod:`hierax.model`) resolves every parameter into a
:class:`ParamPlan` (static structure) and a dict of arrays (data). The model
function built here touches only those arrays: no pandas object is reachable
inside traced code. Arrays are passed as arguments, not closed over, so that
large data sets are not baked into the compiled program as constants.

Site names follow HSSM/bambi: ``v_Intercept``, ``v_theta``, ``v_C(conf)``,
``v_1|participant_id`` (with ``v_1|participant_id_sigma``), a parameter without
a formula is named by itself (``a``), and the observations are ``rt,response``.
Group terms are sampled in their natural form; samplers see them centred,
non-centred (``v_1|participant_id_offset``) or level-centred
(``v_1|participant_id_level``) through :mod:`hierax.parameterisation`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpyro

from hierax.families.base import Family
from hierax.families.distribution import FamilyDistribution, LapseMixture
from hierax.spec.link import Link
from hierax.spec.prior import Prior

__all__ = ["CommonPlan", "GroupPlan", "LapsePlan", "ParamPlan", "level_intercept", "make_model"]

# The key of a group site's ``infer`` dict that carries the intercept it can be centred on.
INTERCEPT_KEY = "hierax_intercept"


@dataclass(frozen=True)
class CommonPlan:
    """A common term: its site name, width, and prior (or fixed value)."""

    site: str
    columns: slice
    labels: tuple[str, ...] | None
    prior: Prior | float


@dataclass(frozen=True)
class GroupPlan:
    """A group-specific term: site name, data keys, shape and prior."""

    site: str
    factor: str
    n_groups: int
    expr_labels: tuple[str, ...] | None
    prior: Prior | float
    centered: bool

    @property
    def shape(self) -> tuple[int, ...]:
        if self.expr_labels is None:
            return (self.n_groups,)
        return (self.n_groups, len(self.expr_labels))


@dataclass(frozen=True)
class ParamPlan:
    """How one likelihood parameter is computed.

    ``kind`` is "fixed" (``value``), "free" (one site with ``prior``) or
    "regression" (``common`` and ``group`` terms through ``link``).
    ``check_bounds`` marks parameters whose values can leave ``bounds``
    (identity link on a bounded parameter, or a prior wider than the
    bounds); observations where that happens get log density -inf, so the
    sampler rejects such proposals rather than silently clipping them.
    """

    name: str
    kind: str
    link: Link
    bounds: tuple[float, float]
    init: float
    value: float | None = None
    prior: Prior | None = None
    common: tuple[CommonPlan, ...] = ()
    group: tuple[GroupPlan, ...] = ()
    check_bounds: bool = False


@dataclass(frozen=True)
class LapsePlan:
    """The lapse process: rt ~ ``prior`` (rt-and-choice families) and responses uniform
    over ``n_choices``."""

    prior: Prior
    n_choices: int


def sample_prior(site: str, prior: Prior | float, shape: tuple[int, ...] = ()) -> jax.Array:
    """Sample ``site`` from ``prior`` (hyperpriors as ``{site}_{arg}``); numbers pass through."""
    if not isinstance(prior, Prior):
        return jnp.full(shape, prior) if shape else jnp.asarray(prior)
    values = {k: sample_prior(f"{site}_{k}", p) for k, p in prior.hyperpriors.items()}
    d = prior.distribution(values)
    if shape:
        d = d.expand(shape).to_event(len(shape))
    return numpyro.sample(site, d)


def _group_coefficients(group: GroupPlan, intercept: jax.Array | None) -> jax.Array:
    """The effects of one group term, in their natural (centred) form.

    How a sampler sees them (centred, ``_offset``, ``_level``) is applied by
    inference (:mod:`hierax.parameterisation`); a term that can be level-centred
    passes its intercept along for that.
    """
    prior = group.prior
    if not isinstance(prior, Prior):
        return jnp.full(group.shape, prior)
    values = {k: sample_prior(f"{group.site}_{k}", p) for k, p in prior.hyperpriors.items()}
    d = prior.distribution(values).expand(group.shape).to_event(len(group.shape))
    infer = {} if intercept is None else {INTERCEPT_KEY: intercept}
    return numpyro.sample(group.site, d, infer=infer)


def level_intercept(plan: ParamPlan, group: GroupPlan) -> str | None:
    """The intercept site on which ``group``'s levels can be centred, if they can.

    A ``(1|g)`` term of a parameter whose formula has a sampled ``Intercept`` and
    whose prior is ``Normal(0, sigma)`` can be sampled as each level's value
    ``{site}_level ~ Normal(Intercept, sigma)`` (hierarchical centring; see
    :mod:`hierax.parameterisation`). ``None`` for every other group term.
    """
    if group.expr_labels is not None:
        return None
    if not group.site.endswith(f"_1|{group.factor}") or not isinstance(group.prior, Prior):
        return None
    params = group.prior.params
    loc = params.get("mu", params.get("loc", 0.0))
    if group.prior.name != "Normal" or isinstance(loc, Prior) or float(loc) != 0.0:
        return None
    intercept = next((c for c in plan.common if c.site == f"{plan.name}_Intercept"), None)
    if intercept is None or not isinstance(intercept.prior, Prior) or intercept.labels:
        return None
    return intercept.site


def _regression(plan: ParamPlan, arrays: Mapping[str, jax.Array]) -> jax.Array:
    X = arrays[f"{plan.name}|X"]
    eta = jnp.zeros(X.shape[0], dtype=X.dtype)
    sampled = {}
    if plan.common:
        sampled = {c.site: sample_prior(c.site, c.prior, _width(c)) for c in plan.common}
        coefs = [jnp.reshape(value, (-1,)) for value in sampled.values()]
        eta = eta + X @ jnp.concatenate(coefs).astype(X.dtype)
    for g in plan.group:
        intercept = level_intercept(plan, g)
        coef = _group_coefficients(g, None if intercept is None else sampled[intercept])
        index = arrays[f"{g.site}|index"]
        values = arrays[f"{g.site}|values"]
        per_obs = coef[index] if coef.ndim == 1 else coef[index, :]
        eta = eta + jnp.sum(jnp.reshape(per_obs, values.shape) * values, axis=-1)
    return plan.link.inverse(eta)


def _width(c: CommonPlan) -> tuple[int, ...]:
    return () if c.labels is None else (len(c.labels),)


def parameter_value(plan: ParamPlan, arrays: Mapping[str, jax.Array]) -> jax.Array:
    """The parameter's value: a scalar or one value per observation."""
    if plan.kind == "fixed":
        return jnp.asarray(plan.value)
    if plan.kind == "free":
        return sample_prior(plan.name, plan.prior)
    value = _regression(plan, arrays)
    return numpyro.deterministic(plan.name, value) if plan.name == "p_outlier" else value


def make_model(
    family: Family,
    plans: tuple[ParamPlan, ...],
    obs_site: str,
    lapse: LapsePlan | None = None,
) -> Callable[..., None]:
    """Build the NumPyro model function ``model(arrays, observed=True)``.

    ``arrays`` holds ``"obs"`` (the observations) and the design arrays keyed
    ``"{param}|X"``, ``"{site}|index"``, ``"{site}|values"``. With
    ``observed=False`` the observations are simulated (prior/posterior
    predictive).
    """
    likelihood_plans = [p for p in plans if p.name != "p_outlier"]
    lapse_plan = next((p for p in plans if p.name == "p_outlier"), None)

    def model(arrays: Mapping[str, jax.Array], observed: bool = True) -> None:
        params = {p.name: parameter_value(p, arrays) for p in likelihood_plans}
        p_outlier = parameter_value(lapse_plan, arrays) if lapse_plan is not None else None
        checked = {p.name: (p.bounds, p.init) for p in likelihood_plans if p.check_bounds}
        template = arrays["obs"]
        likelihood = FamilyDistribution(family, params, obs_template=template, checked=checked)
        if p_outlier is not None:
            likelihood = LapseMixture(likelihood, p_outlier, lapse.prior.distribution())
        with numpyro.plate("__obs__", template.shape[0]):
            numpyro.sample(obs_site, likelihood, obs=template if observed else None)

    return model
