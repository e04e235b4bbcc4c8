"""Families written by users: a parameter table, choices and a log density.

:func:`make_family` builds a :class:`~hierax.families.Family` from

- ``params``: parameter names (HSSM's ``list_params``) with ``bounds``, or a
  mapping from each name to its bounds or to a dict with ``bounds``, ``prior``,
  ``init`` and ``default`` (a value at which the parameter stays fixed unless
  ``include`` frees it);
- ``logpdf(data, *params)``: one log density per row of ``data`` (``(n, 2)``
  rows ``(rt, response)`` for rt-and-choice models), parameters positional in
  table order, each a scalar or one value per row — HSSM's ``loglik``
  signature. Written in JAX it is differentiated by JAX and sampled with NUTS.
  With ``loglik_kind="blackbox"`` it may be any Python/NumPy function: hierax
  calls it through :func:`jax.pure_callback` and differentiates it by central
  finite differences (one pair of extra calls per parameter: each row's log
  density depends only on that row's parameters), so NUTS still runs, at the
  price of ``2 k + 1`` calls per gradient for ``k`` parameters;
- optionally ``simulator(key, shape, *params)`` returning draws of shape
  ``shape + (2,)`` (or ``shape`` for choice-only models) and
  ``cdf(data, *params)`` (or, more accurate in the tails, ``log_cdf`` and/or
  ``log_sf``: see :class:`~hierax.families.Family`).

A parameter without a prior gets HSSM's prior from its bounds: ``Normal(0, 2)``
when unbounded, ``HalfNormal(2)`` from 0, a ``TruncatedNormal`` of sd 2 at
another finite end, ``Uniform`` between two finite ends.

Examples
--------
>>> import jax.numpy as jnp
>>> from jax.scipy.stats import norm
>>> def logpdf(data, mu, sigma):
...     return norm.logpdf(jnp.log(data[:, 0]), mu, sigma) - jnp.log(data[:, 0])
>>> fam = make_family(
...     "lognormal_rt", ["mu", "sigma"], logpdf,
...     bounds={"mu": (-5, 5), "sigma": (0, 5)}, choices=(-1, 1),
... )
>>> fam.param_names, fam["sigma"].prior
(('mu', 'sigma'), Prior('Uniform', lower=0.0, upper=5.0))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from hierax.families.base import Constraint, Family, ParamInfo
from hierax.spec.prior import Prior, as_prior

__all__ = [
    "LOGLIK_KINDS",
    "blackbox_logpdf",
    "check_family",
    "make_family",
    "prior_from_bounds",
]

#: How a user's log density is evaluated.
LOGLIK_KINDS = ("analytical", "blackbox")
#: Relative step of the central finite differences of a blackbox log density.
FINITE_DIFFERENCE_STEP = 1e-6


def prior_from_bounds(bounds: tuple[float, float]) -> Prior:
    """HSSM's default prior for a parameter with these bounds and no other prior.

    Examples
    --------
    >>> prior_from_bounds((0.0, float("inf")))
    Prior('HalfNormal', sigma=2.0)
    """
    lower, upper = (float(b) for b in bounds)
    if math.isinf(lower) and math.isinf(upper):
        return Prior("Normal", mu=0.0, sigma=2.0)
    if math.isinf(lower):
        return Prior("TruncatedNormal", mu=upper, upper=upper, sigma=2.0)
    if math.isinf(upper):
        if lower == 0.0:
            return Prior("HalfNormal", sigma=2.0)
        return Prior("TruncatedNormal", mu=lower, lower=lower, sigma=2.0)
    return Prior("Uniform", lower=lower, upper=upper)


def _init_from_bounds(bounds: tuple[float, float]) -> float:
    lower, upper = bounds
    if math.isfinite(lower) and math.isfinite(upper):
        return 0.5 * (lower + upper)
    if math.isfinite(lower):
        return lower + 1.0
    return upper - 1.0 if math.isfinite(upper) else 0.0


def _spread(bounds: tuple[float, float]) -> float:
    lower, upper = bounds
    return 0.1 * (upper - lower) if math.isfinite(lower) and math.isfinite(upper) else 0.5


def _param_info(name: str, spec: Any) -> ParamInfo:
    if isinstance(spec, ParamInfo):
        return spec
    if not isinstance(spec, Mapping):
        spec = {"bounds": spec}
    unknown = set(spec) - {"bounds", "prior", "init", "default", "scale", "description"}
    if unknown:
        raise ValueError(
            f"Parameter {name!r}: unknown key(s) {sorted(unknown)}; use bounds, prior, init, "
            "default, scale, description."
        )
    raw = spec.get("bounds", (-math.inf, math.inf))
    try:
        bounds = (float(raw[0]), float(raw[1]))
    except (TypeError, ValueError, IndexError):
        raise ValueError(
            f"Parameter {name!r}: bounds must be (lower, upper), got {raw!r}."
        ) from None
    if not bounds[0] < bounds[1]:
        raise ValueError(f"Parameter {name!r}: bounds {bounds} need lower < upper.")
    prior = as_prior(spec["prior"]) if spec.get("prior") is not None else prior_from_bounds(bounds)
    init = float(spec.get("init", _init_from_bounds(bounds)))
    if not bounds[0] < init < bounds[1]:
        raise ValueError(f"Parameter {name!r}: init {init} lies outside its bounds {bounds}.")
    default = spec.get("default")
    return ParamInfo(
        name,
        bounds,
        prior,
        float(spec.get("scale", _spread(bounds))),
        init,
        spec.get("description", ""),
        default=None if default is None else float(default),
    )


def _param_table(params: Any, bounds: Mapping[str, Any] | None) -> tuple[ParamInfo, ...]:
    if isinstance(params, str) or not isinstance(params, Mapping | Sequence):
        raise ValueError(
            "params must list the parameter names (with bounds=) or map each name to its "
            f"bounds or a dict of bounds/prior/init; got {params!r}."
        )
    bounds = dict(bounds or {})
    if isinstance(params, Mapping):
        items = list(params.items())
    else:
        items = [(name, bounds.pop(name, (-math.inf, math.inf))) for name in params]
    extra = set(bounds) - {name for name, _ in items}
    if extra and isinstance(params, Sequence):
        raise ValueError(f"bounds names {sorted(extra)}, which are not among params {params!r}.")
    for name, _ in items:
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"Parameter names must be identifiers, got {name!r}.")
    return tuple(_param_info(name, spec) for name, spec in items)


def blackbox_logpdf(fn: Callable[..., Any]) -> Callable[..., jax.Array]:
    """Wrap a NumPy log density so that JAX can call and differentiate it.

    The value comes from ``fn`` on the host (:func:`jax.pure_callback`); the
    derivative with respect to each parameter is the central difference with
    step ``FINITE_DIFFERENCE_STEP * max(1, |value|)``, computed per row (a row's
    log density depends on that row's parameters alone).
    """

    def host(obs, *params):
        out = np.asarray(fn(np.asarray(obs), *(np.asarray(p) for p in params)), dtype=obs.dtype)
        return np.broadcast_to(out, obs.shape[:1]).astype(obs.dtype)

    def call(obs, *params):
        n = obs.shape[0]
        params = [jnp.broadcast_to(jnp.asarray(p, obs.dtype), (n,)) for p in params]
        result = jax.ShapeDtypeStruct((n,), obs.dtype)
        return jax.pure_callback(host, result, obs, *params, vmap_method="sequential")

    @jax.custom_jvp
    def logpdf(obs, *params):
        return call(obs, *params)

    @logpdf.defjvp
    def _jvp(primals, tangents):
        obs, *params = primals
        n = obs.shape[0]
        params = [jnp.broadcast_to(jnp.asarray(p, obs.dtype), (n,)) for p in params]
        out = call(obs, *params)
        tangent_out = jnp.zeros_like(out)
        for k, dp in enumerate(tangents[1:]):
            if type(dp) is jax.custom_derivatives.SymbolicZero:
                continue
            step = FINITE_DIFFERENCE_STEP * jnp.maximum(1.0, jnp.abs(params[k]))
            up = [p + step if i == k else p for i, p in enumerate(params)]
            down = [p - step if i == k else p for i, p in enumerate(params)]
            slope = (call(obs, *up) - call(obs, *down)) / (2.0 * step)
            tangent_out = tangent_out + slope * jnp.broadcast_to(dp, (n,))
        return out, tangent_out

    return logpdf


def make_family(
    name: str,
    params: Sequence[str] | Mapping[str, Any],
    logpdf: Callable[..., Any],
    *,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    choices: Sequence[float] | None = (-1.0, 1.0),
    response: Sequence[str] | None = None,
    simulator: Callable[..., Any] | None = None,
    cdf: Callable[..., Any] | None = None,
    log_cdf: Callable[..., Any] | None = None,
    log_sf: Callable[..., Any] | None = None,
    constraints: Sequence[Constraint] = (),
    loglik_kind: str = "analytical",
    kind: str | None = None,
    description: str = "",
) -> Family:
    """A :class:`~hierax.families.Family` from a parameter table and a log density.

    Parameters
    ----------
    name
        The model's name (what ``print(model)`` shows and ``register_family`` stores).
    params
        Parameter names in the log density's argument order (with ``bounds``), or a
        mapping from each name to ``(lower, upper)`` or to a dict with keys
        ``bounds``, ``prior``, ``init``, ``default``.
    logpdf
        ``logpdf(data, *params) -> (n,)`` (see the module docstring).
    bounds
        ``{name: (lower, upper)}`` when ``params`` is a list of names.
    choices
        The response codes, e.g. ``(-1, 1)`` or ``(0, 1, 2)``; ``None`` for an
        outcome that is not a choice.
    response
        Data columns; default ``("rt", "response")`` for rt-and-choice models,
        ``("response",)`` for choice-only ones, ``("y",)`` else.
    simulator
        ``simulator(key, shape, *params)``: exact draws, for predictive checks
        and :func:`hierax.simulate_data`.
    cdf
        ``cdf(data, *params)``: ``P(RT <= rt, response)`` per row (``rt = inf``
        gives the choice probability); used for censored and missing-rt trials.
    log_cdf, log_sf
        The same in log space, ``log P(RT <= rt, R)`` and ``log P(RT > rt, R)``;
        give either or both instead of ``cdf``.
    constraints
        :class:`~hierax.families.Constraint` rules between parameters.
    loglik_kind
        ``"analytical"`` (a JAX function) or ``"blackbox"`` (any Python function).
    kind
        ``"rt_choice"``, ``"choice"`` or ``"generic"``; default ``"rt_choice"``
        with choices, ``"generic"`` without.
    description
        One line for ``print(model)``.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"A family needs a name (a non-empty string), got {name!r}.")
    if not callable(logpdf):
        raise ValueError(f"logpdf of family {name!r} must be callable, got {logpdf!r}.")
    if loglik_kind not in LOGLIK_KINDS:
        raise ValueError(
            f"loglik_kind of a user family must be one of {LOGLIK_KINDS}, got {loglik_kind!r}."
        )
    if kind is None:
        kind = "rt_choice" if choices is not None else "generic"
    if response is None:
        response = {"rt_choice": ("rt", "response"), "choice": ("response",)}.get(kind, ("y",))
    if cdf is not None:
        if log_cdf is not None:
            raise ValueError(f"Family {name!r}: give cdf or log_cdf, not both.")

        def log_cdf(data, *values):
            return jnp.log(cdf(data, *values))

    table = _param_table(params, bounds)
    density = blackbox_logpdf(logpdf) if loglik_kind == "blackbox" else logpdf
    sample = None
    if simulator is not None:

        def sample(key, shape, obs, *values):
            return jnp.asarray(simulator(key, shape, *values))

    return Family(
        name=name,
        params=table,
        logpdf=density,
        sample=sample,
        response=tuple(response),
        kind=kind,
        choices=None if choices is None else tuple(float(c) for c in choices),
        constraints=tuple(constraints),
        log_cdf=log_cdf,
        log_sf=log_sf,
        likelihood=loglik_kind,
        description=description or f"user model {name!r}",
    )


#: Rows quoted in the message when a user's log density fails at its start values.
_SHOWN = 3


def check_family(family: Family, obs: np.ndarray, start: Mapping[str, float]) -> None:
    """Evaluate a user family's log density at its starting values; raise if it misbehaves.

    The log density must return one finite value per observation (shape ``(n,)``).

    Raises
    ------
    ValueError
        Naming the family, the shape it returned or the first rows where it is
        NaN or infinite, and the parameter values used.
    """
    n = obs.shape[0]
    values = ", ".join(f"{k}={v:g}" for k, v in start.items())
    try:
        with jax.ensure_compile_time_eval():
            logp = family.logpdf(
                jnp.asarray(obs), *(jnp.asarray(start[p]) for p in family.param_names)
            )
        logp = np.asarray(logp)
    except Exception as err:  # a user function: report whatever it raised, with context
        raise ValueError(
            f"The log density of model {family.name!r} failed at its starting values "
            f"({values}) on the data: {type(err).__name__}: {err}"
        ) from err
    if logp.shape != (n,):
        raise ValueError(
            f"The log density of model {family.name!r} returned shape {logp.shape} for {n} "
            f"observations; it must return one value per row, shape ({n},)."
        )
    bad = np.flatnonzero(~np.isfinite(logp))
    if len(bad):
        rows = "; ".join(
            f"row {i}: {np.atleast_1d(obs[i]).tolist()} -> {logp[i]}" for i in bad[:_SHOWN]
        )
        raise ValueError(
            f"The log density of model {family.name!r} is not finite for {len(bad)} of {n} "
            f"observations at its starting values ({values}); first {rows}. Check the "
            "function, or give the parameters init values (or bounds) where it is finite."
        )
