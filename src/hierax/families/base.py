"""What a model family is: its parameters, its observations and its likelihood.

A :class:`Family` is the one interface every model goes through, built-in or
registered by a user. It holds

- the parameter table, a tuple of :class:`ParamInfo` (bounds, default prior,
  initial value, an optional fixed default);
- the observations: their columns (``response``), their ``kind`` (``"rt_choice"``:
  response time and choice; ``"choice"``: a choice alone; ``"generic"``: any other
  outcome) and the family's response codes (``choices``);
- pure JAX functions: ``logpdf(obs, *params)`` (one log density per observation,
  parameters positional in table order), ``sample(key, shape, obs, *params)`` (exact
  draws) and, where the model has them, its distribution function per choice in log
  space, ``log_cdf`` and ``log_sf`` (censored, deadline and missing-rt trials);
- cross-parameter rules (``constraints``, e.g. the LBA's ``b > A``) that no
  per-parameter bound expresses.

:meth:`Family.distribution` turns it into a NumPyro distribution, which is what the
model builder, :func:`hierax.logp` and hand-written NumPyro models use.

Examples
--------
>>> from hierax.families import get_family
>>> fam = get_family("ddm")
>>> fam.param_names
('v', 'a', 'z', 't')
>>> fam["a"].bounds
(0.0, inf)
>>> fam.n_choices, fam.kind
(2, 'rt_choice')
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from hierax.spec.prior import Prior

__all__ = ["KINDS", "Constraint", "Family", "ParamInfo"]

#: Kinds of observations: rt and choice, a choice alone, or any other outcome.
KINDS = ("rt_choice", "choice", "generic")


@dataclass(frozen=True)
class ParamInfo:
    """One parameter of a family.

    Parameters
    ----------
    name
        The parameter's name, e.g. ``"v"``.
    bounds
        ``(lower, upper)`` of its support; infinite ends where unbounded.
    prior
        Its default prior when it has no formula.
    scale
        The typical spread of the parameter between participants on its own
        scale; hierax's "scaled" regression priors are built from it.
    init
        A central value well inside the bounds, used for initial values.
    description
        One line for ``print(model)`` and the docs.
    default
        A value at which the parameter is *fixed* unless the user includes it
        (``include=[{"name": "t", ...}]`` frees it), e.g. the LBA's drift sd
        ``s = 0.1``; ``None`` for a parameter that is always estimated.
    closed_lower
        Whether the lower bound itself is a valid value (``t = 0``, ``sv = 0``):
        simulation accepts it; estimation keeps to the open interval.
    """

    name: str
    bounds: tuple[float, float]
    prior: Prior
    scale: float
    init: float
    description: str = ""
    default: float | None = None
    closed_lower: bool = False

    @property
    def is_bounded(self) -> bool:
        """Whether either end of the support is finite."""
        return any(math.isfinite(b) for b in self.bounds)


@dataclass(frozen=True)
class Constraint:
    """A rule between parameters, e.g. ``Constraint("b > A", lambda p: p["b"] > p["A"])``.

    ``holds(params)`` takes a dict of parameter values (arrays, NumPy or JAX) and
    returns a boolean array; where it is false the log density is ``-inf``.
    """

    rule: str
    holds: Callable[[Mapping[str, Any]], Any]


def _log1mexp(x: jax.Array) -> jax.Array:
    """``log(1 - exp(x))`` for ``x <= 0``, accurate at both ends."""
    x = jnp.minimum(x, 0.0)
    return jnp.where(x > -math.log(2.0), jnp.log(-jnp.expm1(x)), jnp.log1p(-jnp.exp(x)))


def _complement(log_fn: Callable[..., jax.Array], rt_total: float) -> Callable[..., jax.Array]:
    """``log(P(R = r) - exp(log_fn))``, ``P(R = r)`` being ``log_fn`` at ``rt_total``."""

    def complement(obs: jax.Array, *params: Any) -> jax.Array:
        obs = jnp.asarray(obs)
        total = log_fn(obs.at[..., 0].set(rt_total), *params)
        return total + _log1mexp(log_fn(obs, *params) - total)

    return complement


@dataclass(frozen=True, eq=False)
class Family:
    """A likelihood family: parameters, observations, log density and simulator.

    Parameters
    ----------
    name
        Registered name, e.g. ``"ddm"`` or ``"lba3"``.
    params
        The parameters, in the order of the likelihood's arguments.
    logpdf
        ``logpdf(obs, *params) -> (n,)``; ``obs`` has shape ``(n,)`` or ``(n, k)``
        (``(n, 2)`` rows ``(rt, response)`` for ``kind="rt_choice"``), the responses in
        the family's own codes.
    sample
        ``sample(key, shape, obs, *params) -> obs``, an exact draw of shape
        ``shape (+ (k,))``; ``obs`` (the observed array or ``None``) supplies fixed
        columns such as the binomial number of trials. ``None`` for a family
        without a simulator (no predictive checks, no ``simulate_data``).
    response
        The default data column(s) holding the observations.
    kind
        ``"rt_choice"``, ``"choice"`` or ``"generic"`` (see :data:`KINDS`).
    choices
        The family's response codes, e.g. ``(-1.0, 1.0)`` or ``(0.0, 1.0, 2.0)``.
    aliases
        Other codes read as one of ``choices`` when the user gives no
        ``choices=``, e.g. ``{0.0: -1.0}``: data coded 0/1 fit a -1/1 family.
    constraints
        Rules between parameters (:class:`Constraint`).
    log_cdf
        ``log_cdf(obs, *params)``: ``log P(RT <= rt, R = response)`` per
        ``(rt, response)`` row (the defective distribution function of that
        choice); ``rt = inf`` gives ``log P(R = response)``. ``None`` for none.
    log_sf
        ``log_sf(obs, *params)``: ``log P(RT > rt, R = response)`` per row (the
        defective survival function); ``rt <= 0`` gives ``log P(R = response)``.
        A family that gives only one of ``log_cdf`` and ``log_sf`` gets the other
        from it (less accurate in the far tail than a direct formula).
    default_links
        Links used when the user gives none, as ``(("p", "logit"),)`` pairs.
    main
        The parameter that ``group=`` / ``pooling=`` models put a formula on.
    data_params
        Optional function of the observations returning the parameter table
        with data-scaled default priors (generic families, so that the
        defaults suit the data's units); see :meth:`for_data`.
    choice_labels
        A name per choice for plots, e.g. ``("lower", "upper")``; default the codes.
    moment_estimates
        ``moment_estimates(rt, response, t_max) -> {name: value}``: closed-form
        estimates of some parameters from one participant's observations (the
        DDM's EZ-diffusion), used as starting values; ``None`` for none.
    likelihood
        How the log density is computed, as ``print(model)`` says it:
        ``"analytical"``, ``"blackbox"`` or ``"approx_differentiable"``.
    description
        One line for ``print(model)``.
    """

    name: str
    params: tuple[ParamInfo, ...]
    logpdf: Callable[..., jax.Array]
    sample: Callable[..., jax.Array] | None
    response: tuple[str, ...]
    kind: str = "generic"
    choices: tuple[float, ...] | None = None
    aliases: tuple[tuple[float, float], ...] = ()
    constraints: tuple[Constraint, ...] = ()
    log_cdf: Callable[..., jax.Array] | None = None
    log_sf: Callable[..., jax.Array] | None = None
    default_links: tuple[tuple[str, str], ...] = ()
    main: str | None = None
    data_params: Callable[[np.ndarray], tuple[ParamInfo, ...]] | None = None
    choice_labels: tuple[str, ...] = ()
    moment_estimates: Callable[..., dict[str, float]] | None = None
    likelihood: str = "analytical"
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Family kind must be one of {KINDS}, got {self.kind!r}.")
        if self.kind != "generic" and not self.choices:
            raise ValueError(f"Family {self.name!r} of kind {self.kind!r} needs its choices.")
        names = [p.name for p in self.params]
        if len(set(names)) != len(names):
            raise ValueError(f"Family {self.name!r} names a parameter twice: {names}.")
        if (self.log_cdf is not None or self.log_sf is not None) and self.kind != "rt_choice":
            raise ValueError(
                f"Family {self.name!r}: log_cdf / log_sf are for rt-and-choice families."
            )
        # A frozen dataclass: the missing one of the pair is derived once, here.
        if self.log_sf is None and self.log_cdf is not None:
            object.__setattr__(self, "log_sf", _complement(self.log_cdf, jnp.inf))
        elif self.log_cdf is None and self.log_sf is not None:
            object.__setattr__(self, "log_cdf", _complement(self.log_sf, 0.0))

    @property
    def param_names(self) -> tuple[str, ...]:
        """Parameter names in likelihood order."""
        return tuple(p.name for p in self.params)

    @property
    def is_ssm(self) -> bool:
        """Sequential sampling model: observations are ``(rt, response)`` rows."""
        return self.kind == "rt_choice"

    @property
    def n_choices(self) -> int:
        """Number of response options (0 for generic outcomes)."""
        return len(self.choices or ())

    @property
    def responses(self) -> tuple[tuple[float, str], ...]:
        """``(code, label)`` per choice, e.g. ``((-1.0, "lower"), (1.0, "upper"))``."""
        codes = self.choices or ()
        labels = self.choice_labels or tuple(f"response {c:g}" for c in codes)
        return tuple(zip(codes, labels, strict=True))

    @property
    def links(self) -> dict[str, str]:
        """The default links as a dict."""
        return dict(self.default_links)

    @property
    def has_cdf(self) -> bool:
        """Whether the family has its distribution function (censored and missing rt)."""
        return self.log_cdf is not None

    def log_no_response(self, rt: jax.Array, *params: Any) -> jax.Array:
        """``log P(RT > rt)`` of any choice: a trial with no response by ``rt``.

        Examples
        --------
        >>> import jax.numpy as jnp
        >>> from hierax.families import make_family
        >>> def log_sf(obs, lam):  # two exponential accumulators racing at rate lam
        ...     return jnp.log(0.5) - 2 * lam * obs[:, 0]
        >>> fam = make_family("race", ["lam"], lambda obs, lam: jnp.log(lam) - 2 * lam * obs[:, 0],
        ...                   bounds={"lam": (0, 10)}, choices=(0, 1), log_sf=log_sf)
        >>> round(float(fam.log_no_response(jnp.array([1.0]), 0.5)[0]), 6)
        -1.0
        """
        if self.log_sf is None:
            raise ValueError(f"Model {self.name!r} has no distribution function (log_sf).")
        rt = jnp.asarray(rt)
        per_choice = [
            self.log_sf(jnp.stack([rt, jnp.full_like(rt, c)], axis=-1), *params)
            for c in self.choices
        ]
        return jax.nn.logsumexp(jnp.stack(per_choice), axis=0)

    @property
    def has_simulator(self) -> bool:
        """Whether the family can simulate (predictive checks, ``simulate_data``)."""
        return self.sample is not None

    def for_data(self, obs: np.ndarray) -> Family:
        """The family with default priors scaled to the observations ``obs``."""
        if self.data_params is None:
            return self
        return replace(self, params=self.data_params(np.asarray(obs)), data_params=None)

    def log_prob(self, obs: jax.Array, params: Mapping[str, Any]) -> jax.Array:
        """``logpdf`` with parameters by name, ``-inf`` where a :class:`Constraint` fails."""
        logp = self.logpdf(obs, *(params[name] for name in self.param_names))
        return jnp.where(self.constraints_hold(params, jnp), logp, -jnp.inf)

    def constraints_hold(self, params: Mapping[str, Any], xp: Any = np) -> Any:
        """Where every :class:`Constraint` holds (``True`` for a family without any)."""
        ok = xp.asarray(True)
        for constraint in self.constraints:
            ok = ok & xp.asarray(constraint.holds(params))
        return ok

    def draw(self, key: jax.Array, shape: tuple[int, ...], obs: Any, params: Mapping[str, Any]):
        """``sample`` with parameters by name; a clear error for a family without one."""
        if self.sample is None:
            raise ValueError(
                f"Model {self.name!r} has no simulator, so it cannot simulate data "
                "(predictive checks, simulate_data). Register it with a simulator."
            )
        return self.sample(key, shape, obs, *(params[name] for name in self.param_names))

    def distribution(self, obs_template: Any = None, **params: Any):
        """The family as a NumPyro distribution with these parameters.

        Examples
        --------
        >>> from hierax.families import get_family
        >>> d = get_family("ddm").distribution(v=1.0, a=1.0, z=0.5, t=0.3)
        >>> round(float(d.log_prob(jnp.array([0.8, 1.0]))), 4)
        -0.1302
        """
        from hierax.families.distribution import FamilyDistribution

        return FamilyDistribution(self, params, obs_template=obs_template)

    def encode_responses(
        self, codes: np.ndarray, user_choices: Sequence[float] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Map response codes onto the family's; also return the mask of invalid ones.

        With ``user_choices`` (the user's codes) the i-th smallest user code becomes
        the i-th of the family's ``choices`` (so ``[0, 1]`` for a DDM reads 0 as the
        lower boundary); without, the family's codes and its ``aliases`` are accepted.
        """
        family_codes = np.asarray(self.choices, dtype=float)
        if user_choices is not None:
            given = np.sort(np.asarray([float(c) for c in user_choices]))
            if len(set(given.tolist())) != len(given) or len(given) != len(family_codes):
                raise ValueError(
                    f"choices={list(user_choices)!r} must name {len(family_codes)} distinct "
                    f"response codes for model {self.name!r} (its codes "
                    f"{family_codes.tolist()}, in that order)."
                )
            mapping = dict(zip(given.tolist(), family_codes.tolist(), strict=True))
        else:
            mapping = {c: c for c in family_codes.tolist()}
            mapping.update({float(a): float(c) for a, c in self.aliases})
        keys = np.array(sorted(mapping))
        values = np.array([mapping[k] for k in keys.tolist()])
        position = np.clip(np.searchsorted(keys, codes), 0, len(keys) - 1)
        valid = keys[position] == codes
        return np.where(valid, values[position], np.nan), ~valid

    def __getitem__(self, name: str) -> ParamInfo:
        for info in self.params:
            if info.name == name:
                return info
        raise KeyError(
            f"Model {self.name!r} has no parameter {name!r}; "
            f"its parameters are {', '.join(self.param_names)}."
        )

    def __hash__(self) -> int:
        return hash((self.name, self.params, self.kind, self.choices, self.likelihood))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Family):
            return NotImplemented
        return self is other or (
            hash(self) == hash(other)
            and self.logpdf is other.logpdf
            and self.sample is other.sample
            and self.constraints == other.constraints
        )
