"""Drift diffusion model distributions for hand-written NumPyro models.

:class:`DDM`, :class:`DDMSDV` and :class:`FullDDM` are thin
:class:`numpyro.distributions.Distribution` wrappers: ``log_prob`` delegates
to :mod:`hierax.likelihoods` and ``sample`` to :func:`hierax.simulators.sample_ddm`.

Parameterisation (HSSM's, after Navarro & Fuss, 2009)
-----------------------------------------------------
An observation is one row ``(rt, response)``: ``rt`` is the response time in
seconds (> 0), ``response`` is ``1`` for the upper boundary and ``-1`` (or
``0``) for the lower boundary. Observations therefore have shape ``(n, 2)``,
the event shape is ``(2,)``, and the batch shape is the broadcast shape of the
parameters.

- ``v``: drift rate (real).
- ``a``: half the boundary separation (> 0): the process starts at
  ``z * 2a`` and ends at ``0`` (lower) or ``2a`` (upper), with unit
  diffusion coefficient (the convention of ssm-simulators and HSSM).
- ``z``: relative starting point in ``(0, 1)``; ``0.5`` is unbiased.
- ``t``: non-decision time in seconds (>= 0); the density is zero for
  ``rt <= t``.
- ``sv``: between-trial standard deviation of the drift (>= 0).
- ``sz``: between-trial range of the relative starting point, uniform on
  ``z +- sz / 2`` (in ``[0, 1)``).
- ``st``: between-trial range of the non-decision time, uniform on
  ``t +- st / 2`` (>= 0).

Constraints such as ``rt > t`` or ``z +- sz/2`` inside ``(0, 1)`` depend on other
parameters and are not checked by ``validate_args``: the log density is
``-inf`` there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import jax
import jax.numpy as jnp
from jax import lax
from numpyro.distributions import Distribution, constraints
from numpyro.distributions.util import promote_shapes, validate_sample

from hierax.likelihoods import ddm_logpdf, ddm_sdv_logpdf, full_ddm_logpdf
from hierax.simulators import sample_ddm

__all__ = ["DDM", "DDMSDV", "FullDDM", "rt_response"]

#: Response codes accepted in observations; positive means the upper boundary.
UPPER, LOWER, LOWER_ALT = 1.0, -1.0, 0.0

#: Between-trial variability parameters of the simulator, in its signature order.
_VARIABILITY = ("sv", "sz", "st")

#: Event shape of one observation: ``(rt, response)``.
EVENT_SHAPE = (2,)


class _RTResponse(constraints.ParameterFreeConstraint):
    """Rows ``(rt, response)`` with ``rt > 0`` and ``response`` in {1, -1, 0}."""

    event_dim = 1

    def __call__(self, x: jax.Array) -> jax.Array:
        rt, response = x[..., 0], x[..., 1]
        valid_response = (response == UPPER) | (response == LOWER) | (response == LOWER_ALT)
        return (rt > 0) & valid_response

    def feasible_like(self, prototype: jax.Array) -> jax.Array:
        row = jnp.asarray([1.0, UPPER], dtype=jnp.result_type(prototype))
        return jnp.broadcast_to(row, jnp.shape(prototype))


#: Support of the DDM distributions: ``(rt, response)`` rows.
rt_response = _RTResponse()


class _DDMBase(Distribution):
    """Shared machinery: parameters named by ``arg_constraints``, in signature order."""

    support = rt_response
    _logpdf: ClassVar[Callable[..., jax.Array]]

    def __init__(self, *params: Any, validate_args: bool | None = None) -> None:
        names = tuple(self.arg_constraints)
        shapes = [jnp.shape(p) for p in params]
        try:
            batch_shape = lax.broadcast_shapes(*shapes)
        except ValueError as err:
            listed = ", ".join(f"{n} {s}" for n, s in zip(names, shapes, strict=True))
            raise ValueError(
                f"{type(self).__name__} parameters do not broadcast together: {listed}. "
                "Per-trial parameters need one value per observation (e.g. "
                "hierarchical(...).per_observation) and the same number of trials."
            ) from err
        promoted = promote_shapes(*params)
        for name, value in zip(names, promoted, strict=True):
            setattr(self, name, value)
        super().__init__(batch_shape, EVENT_SHAPE, validate_args=validate_args)

    @classmethod
    def infer_shapes(cls, *args: tuple[int, ...], **kwargs: tuple[int, ...]) -> tuple:
        shapes = list(args) + [kwargs[k] for k in cls.arg_constraints if k in kwargs]
        return lax.broadcast_shapes(*shapes), EVENT_SHAPE

    def _params(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.arg_constraints)

    @validate_sample
    def log_prob(self, value: jax.Array) -> jax.Array:
        """Log density of ``(rt, response)`` rows, shape ``value.shape[:-1]``."""
        value = jnp.asarray(value)
        return type(self)._logpdf(value[..., 0], value[..., 1], *self._params())

    def sample(self, key: jax.Array, sample_shape: tuple[int, ...] = ()) -> jax.Array:
        """Simulate ``(rt, response)`` rows, shape ``sample_shape + batch_shape + (2,)``."""
        shape = tuple(sample_shape) + self.batch_shape
        params = dict(zip(self.arg_constraints, self._params(), strict=True))
        # Positional, with the variability parameters absent from this model at zero,
        # so that all three distributions share the simulator's compiled kernel.
        variability = (params.get(name, 0.0) for name in _VARIABILITY)
        rt, response = sample_ddm(key, *self._params()[:4], *variability, shape=shape)
        return jnp.stack([rt, jnp.asarray(response, dtype=jnp.result_type(rt))], axis=-1)


class DDM(_DDMBase):
    """Drift diffusion model of ``(rt, response)`` rows.

    See the module docstring for the parameterisation; the log density is
    :func:`hierax.likelihoods.ddm_logpdf`.

    Parameters
    ----------
    v
        Drift rate, real.
    a
        Half the boundary separation, > 0.
    z
        Relative starting point, in (0, 1).
    t
        Non-decision time in seconds, >= 0.
    validate_args
        Check parameters and observations against their constraints.

    Examples
    --------
    >>> import jax
    >>> import jax.numpy as jnp
    >>> d = DDM(v=jnp.array([0.5, 1.0]), a=1.0, z=0.5, t=0.3)
    >>> d.batch_shape, d.event_shape
    ((2,), (2,))
    >>> obs = d.sample(jax.random.key(0), (100,))
    >>> obs.shape
    (100, 2, 2)
    >>> d.log_prob(obs).shape
    (100, 2)
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "v": constraints.real,
        "a": constraints.positive,
        "z": constraints.open_interval(0.0, 1.0),
        "t": constraints.nonnegative,
    }
    _logpdf = staticmethod(ddm_logpdf)

    def __init__(
        self,
        v: Any,
        a: Any,
        z: Any,
        t: Any,
        *,
        validate_args: bool | None = None,
    ) -> None:
        super().__init__(v, a, z, t, validate_args=validate_args)


class DDMSDV(_DDMBase):
    """Drift diffusion model with between-trial drift variability ``sv``.

    The log density is :func:`hierax.likelihoods.ddm_sdv_logpdf`; see the
    module docstring for the parameterisation.

    Parameters
    ----------
    v, a, z, t
        As in :class:`DDM`.
    sv
        Standard deviation of the drift across trials, >= 0.
    validate_args
        Check parameters and observations against their constraints.

    Examples
    --------
    >>> import jax
    >>> d = DDMSDV(v=1.0, a=1.0, z=0.5, t=0.3, sv=0.5)
    >>> obs = d.sample(jax.random.key(1), (3,))
    >>> obs.shape, d.log_prob(obs).shape
    ((3, 2), (3,))
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        **DDM.arg_constraints,
        "sv": constraints.nonnegative,
    }
    _logpdf = staticmethod(ddm_sdv_logpdf)

    def __init__(
        self,
        v: Any,
        a: Any,
        z: Any,
        t: Any,
        sv: Any,
        *,
        validate_args: bool | None = None,
    ) -> None:
        super().__init__(v, a, z, t, sv, validate_args=validate_args)


class FullDDM(_DDMBase):
    """Drift diffusion model with variability in drift, start point and non-decision time.

    The log density is :func:`hierax.likelihoods.full_ddm_logpdf`; see the
    module docstring for the parameterisation.

    Parameters
    ----------
    v, a, z, t
        As in :class:`DDM`.
    sv
        Standard deviation of the drift across trials, >= 0.
    sz
        Range of the relative starting point across trials, in [0, 1).
    st
        Range of the non-decision time across trials, >= 0.
    validate_args
        Check parameters and observations against their constraints.

    Examples
    --------
    >>> import jax
    >>> d = FullDDM(v=1.0, a=1.0, z=0.5, t=0.3, sv=0.3, sz=0.1, st=0.1)
    >>> obs = d.sample(jax.random.key(2), (3,))
    >>> obs.shape, d.log_prob(obs).shape
    ((3, 2), (3,))
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        **DDMSDV.arg_constraints,
        "sz": constraints.interval(0.0, 1.0),
        "st": constraints.nonnegative,
    }
    _logpdf = staticmethod(full_ddm_logpdf)

    def __init__(
        self,
        v: Any,
        a: Any,
        z: Any,
        t: Any,
        sv: Any,
        sz: Any,
        st: Any,
        *,
        validate_args: bool | None = None,
    ) -> None:
        super().__init__(v, a, z, t, sv, sz, st, validate_args=validate_args)
