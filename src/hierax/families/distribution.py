"""A family as a NumPyro distribution, and the lapse mixture around it.

:class:`FamilyDistribution` is what :meth:`hierax.families.Family.distribution`
returns: ``log_prob`` is the family's log density (``-inf`` where a parameter
leaves its bounds or a cross-parameter rule fails, with zero, never NaN,
gradients there), ``sample`` its exact simulator and ``cdf`` its defective
distribution function where it has one. :class:`LapseMixture` mixes any of them
with a lapse process (rt from a lapse distribution, the choice uniform over the
family's choices), and is what the Model's observation site samples.

Examples
--------
>>> import jax.numpy as jnp
>>> from numpyro.distributions import Uniform
>>> from hierax.families import get_family
>>> d = get_family("ddm").distribution(v=1.0, a=1.0, z=0.5, t=0.3)
>>> d.event_shape
(2,)
>>> lapsed = LapseMixture(d, 0.05, Uniform(0.0, 20.0))
>>> bool(lapsed.log_prob(jnp.array([0.8, 1.0])) < d.log_prob(jnp.array([0.8, 1.0])))
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpyro.distributions as dist
from jax import lax
from numpyro.distributions import constraints

from hierax.families.base import Family
from hierax.likelihoods.lapse import lapse_mixture

__all__ = ["FamilyDistribution", "LapseMixture", "observation_support"]


class _Observations(constraints.Constraint):
    """Observations of a family: ``(rt > 0, response in choices)`` rows, or choices."""

    def __init__(self, choices: tuple[float, ...], with_rt: bool):
        self.choices, self.with_rt = choices, with_rt
        self.event_dim = 1 if with_rt else 0

    def __call__(self, x: jax.Array) -> jax.Array:
        response = x[..., 1] if self.with_rt else x
        ok = jnp.isin(response, jnp.asarray(self.choices, dtype=jnp.result_type(x)))
        return ok & (x[..., 0] > 0) if self.with_rt else ok

    def feasible_like(self, prototype: jax.Array) -> jax.Array:
        dtype = jnp.result_type(prototype)
        row = jnp.asarray([1.0, self.choices[-1]] if self.with_rt else self.choices[-1], dtype)
        return jnp.broadcast_to(row, jnp.shape(prototype))

    def tree_flatten(self):
        return (), ((), {"choices": self.choices, "with_rt": self.with_rt})


def observation_support(family: Family) -> constraints.Constraint:
    """The support of a family's observations (NumPyro constraint)."""
    if family.kind == "generic":
        return constraints.real
    return _Observations(tuple(family.choices), with_rt=family.kind == "rt_choice")


def _inside(value: jax.Array, bounds: tuple[float, float], closed_lower: bool) -> jax.Array:
    lower, upper = bounds
    ok = jnp.ones(jnp.shape(value), dtype=bool)
    if math.isfinite(lower):
        ok = ok & ((value >= lower) if closed_lower else (value > lower))
    if math.isfinite(upper):
        ok = ok & (value < upper)
    return ok


class FamilyDistribution(dist.Distribution):
    """The observation model of one family with given parameters.

    Parameters
    ----------
    family
        The :class:`~hierax.families.Family`.
    params
        One value per parameter (scalars or arrays that broadcast together).
    obs_template
        The observed array, when the family needs fixed columns of it to
        simulate (the binomial's number of trials); also fixes the batch shape.
    checked
        ``{name: (bounds, safe_value)}`` for parameters whose values may leave
        their bounds (an identity link on a bounded parameter): there the log
        density is ``-inf`` and the likelihood is evaluated at ``safe_value``,
        so that its gradient stays finite. With cross-parameter constraints
        every parameter needs a safe value (its ``init`` by default).
    """

    pytree_data_fields = ("params", "obs_template")
    pytree_aux_fields = ("family", "checked")

    def __init__(
        self,
        family: Family,
        params: Mapping[str, Any],
        *,
        obs_template: Any = None,
        checked: Mapping[str, tuple[tuple[float, float], float]] | None = None,
        validate_args: bool | None = None,
    ):
        missing = [n for n in family.param_names if n not in params]
        unknown = [n for n in params if n not in family.param_names]
        if missing or unknown:
            raise ValueError(
                f"Model {family.name!r} takes parameters {', '.join(family.param_names)}; "
                f"missing {missing}, unknown {unknown}."
            )
        self.family = family
        self.checked = tuple((n, tuple(b), float(s)) for n, (b, s) in dict(checked or {}).items())
        self.params = {name: params[name] for name in family.param_names}
        self.obs_template = obs_template
        shapes = [jnp.shape(v) for v in self.params.values()]
        event_shape = (2,) if family.kind == "rt_choice" else ()
        if obs_template is not None:
            template_shape = jnp.shape(obs_template)
            event_shape = template_shape[1:]
            shapes.append(template_shape[:1])
        try:
            batch_shape = lax.broadcast_shapes(*shapes)
        except ValueError as err:
            listed = ", ".join(f"{n} {jnp.shape(v)}" for n, v in self.params.items())
            raise ValueError(
                f"Parameters of {family.name!r} do not broadcast together: {listed}. "
                "Per-trial parameters need one value per observation."
            ) from err
        super().__init__(batch_shape, tuple(event_shape), validate_args=validate_args)

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self) -> constraints.Constraint:
        return observation_support(self.family)

    def _safe_params(self) -> tuple[dict[str, jax.Array], jax.Array | None]:
        """Parameters with out-of-bounds or rule-breaking values replaced, and the mask."""
        inside = None
        safe_values = {name: value for name, _, value in self.checked}
        for name, bounds, _ in self.checked:
            ok = _inside(self.params[name], bounds, self.family[name].closed_lower)
            inside = ok if inside is None else inside & ok
        if self.family.constraints:
            ok = self.family.constraints_hold(self.params, jnp)
            inside = ok if inside is None else inside & ok
        if inside is None:
            return self.params, None
        replace = set(self.family.param_names) if self.family.constraints else set(safe_values)
        safe = {}
        for name, value in self.params.items():
            if name in replace:
                value = jnp.where(inside, value, safe_values.get(name, self.family[name].init))
            safe[name] = value
        return safe, inside

    def log_prob(self, value: jax.Array) -> jax.Array:
        """Log density of observations, ``-inf`` outside the parameters' domain."""
        params, inside = self._safe_params()
        logp = self.family.logpdf(value, *params.values())
        return logp if inside is None else jnp.where(inside, logp, -jnp.inf)

    def _log_distribution(self, which: str, value: jax.Array) -> jax.Array:
        fn = getattr(self.family, which)
        if fn is None:
            raise ValueError(f"Model {self.family.name!r} has no distribution function (cdf).")
        params, inside = self._safe_params()
        out = fn(value, *params.values())
        return out if inside is None else jnp.where(inside, out, jnp.nan)

    def log_cdf(self, value: jax.Array) -> jax.Array:
        """``log P(RT <= rt, R = response)`` for ``(rt, response)`` rows."""
        return self._log_distribution("log_cdf", value)

    def log_sf(self, value: jax.Array) -> jax.Array:
        """``log P(RT > rt, R = response)`` for ``(rt, response)`` rows."""
        return self._log_distribution("log_sf", value)

    def cdf(self, value: jax.Array) -> jax.Array:
        """``P(RT <= rt, response)`` for ``(rt, response)`` rows (families with a CDF)."""
        return jnp.exp(self.log_cdf(value))

    def sample(self, key: jax.Array, sample_shape: tuple[int, ...] = ()) -> jax.Array:
        """Exact draws of shape ``sample_shape + batch_shape + event_shape``."""
        params, _ = self._safe_params()
        shape = tuple(sample_shape) + self.batch_shape
        return self.family.draw(key, shape, self.obs_template, params)


class LapseMixture(dist.Distribution):
    """``(1 - p) f(x) + p g(x)``: a family's distribution mixed with a lapse process.

    The lapse density ``g`` is uniform over the family's choices times, for
    rt-and-choice families, the lapse distribution of rt. The mixture keeps
    its proper form for every observation (its log uses
    :func:`hierax.likelihoods.lapse_mixture`, with finite gradients when one
    component vanishes).

    Parameters
    ----------
    base
        A :class:`FamilyDistribution`.
    p_outlier
        The lapse probability, a scalar or one value per observation.
    lapse_rt
        The lapse distribution of rt (e.g. ``Uniform(0, 20)``); ignored for
        choice-only families.
    """

    pytree_data_fields = ("base", "p_outlier", "lapse_rt")

    def __init__(self, base: FamilyDistribution, p_outlier: Any, lapse_rt: Any = None):
        self.base, self.p_outlier, self.lapse_rt = base, p_outlier, lapse_rt
        if base.family.kind == "generic":
            raise ValueError(f"A lapse mixture needs choices; {base.family.name!r} has none.")
        super().__init__(base.batch_shape, base.event_shape)

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self) -> constraints.Constraint:
        return self.base.support

    @property
    def params(self) -> dict[str, jax.Array]:
        """The family's parameters (of the base distribution)."""
        return self.base.params

    def _lapse_logp(self, value: jax.Array) -> jax.Array:
        log_choice = -math.log(self.base.family.n_choices)
        if self.base.family.kind == "rt_choice":
            return self.lapse_rt.log_prob(value[..., 0]) + log_choice
        return jnp.full(jnp.shape(value), log_choice, dtype=jnp.result_type(value, float))

    def log_prob(self, value: jax.Array) -> jax.Array:
        """``log((1 - p) f + p g)`` per observation."""
        return lapse_mixture(self.base.log_prob(value), self.p_outlier, self._lapse_logp(value))

    def sample(self, key: jax.Array, sample_shape: tuple[int, ...] = ()) -> jax.Array:
        """Draws from the mixture: a lapse with probability ``p_outlier``."""
        shape = tuple(sample_shape) + self.batch_shape
        key_model, key_rt, key_choice, key_mix = jax.random.split(key, 4)
        draws = self.base.sample(key_model, sample_shape)
        choices = jnp.asarray(self.base.family.choices, dtype=draws.dtype)
        choice = jax.random.choice(key_choice, choices, shape)
        if self.base.family.kind == "rt_choice":
            rt = self.lapse_rt.sample(key_rt, shape).astype(draws.dtype)
            lapse = jnp.stack([rt, choice], axis=-1)
            lapsed = (jax.random.uniform(key_mix, shape) < self.p_outlier)[..., None]
        else:
            lapse = choice
            lapsed = jax.random.uniform(key_mix, shape) < self.p_outlier
        return jnp.where(lapsed, lapse, draws)
