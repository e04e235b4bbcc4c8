"""Exact simulation of the Linear Ballistic Accumulator (Brown & Heathcote, 2008).

Parameterisation
----------------
That of :mod:`hierax.likelihoods.lba`: accumulator ``i`` of ``n >= 2`` starts at
``k_i ~ Uniform(0, A)`` and rises with drift ``d_i ~ Normal(v_i, s)``; it reaches the
threshold ``b > A`` at ``(b - k_i) / d_i`` if ``d_i > 0`` and never otherwise. The
response is the first accumulator to finish, ``rt = t + its finishing time``, and
trials on which all drifts are negative are excluded (the density is conditioned on
``not all d_i < 0``).

Method
------
Every draw is exact up to floating-point precision, with a fixed amount of work per
trial (no rejection loop, whose round count would grow without bound as
``P(all d_i < 0) -> 1``). The conditioning is exact by sequential decomposition: let
``J`` be the first accumulator (in index order) whose drift is positive. Given
``not all d_i < 0``,

* ``P(J = j) = Phi(v_j/s) prod_{k<j} Phi(-v_k/s) / (1 - prod_k Phi(-v_k/s))``,
  drawn with :func:`jax.random.categorical` from the logits in log space;
* the drifts of accumulators ``k < J`` are negative (they never finish; their values
  are not needed);
* the drift of ``J`` is ``Normal(v_J, s)`` truncated to ``(0, inf)``, drawn by
  inverting its distribution function: from the lower tail when ``v_J >= 0``, from the
  upper tail with ``ndtri`` when ``-5 s <= v_J < 0``, and below that by Newton's method
  on ``log Phi`` (continued fraction for the Mills ratio), which stays exact where
  ``Phi(v_J/s)`` underflows;
* the drifts of accumulators ``k > J`` are unconditional ``Normal(v_k, s)``.

This is the joint law of the drifts given ``not all d_i < 0``, so the draws follow
the density of :func:`hierax.likelihoods.lba.lba_logpdf` exactly.

Examples
--------
>>> import jax
>>> from hierax.simulators.lba import sample_lba
>>> rt, response = sample_lba(jax.random.key(0), 0.5, 1.0, (1.0, 0.8), t=0.2, shape=(4,))
>>> rt.shape, bool((rt > 0.2).all()), set(response.tolist()) <= {0.0, 1.0}
((4,), True, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import ndtri
from numpy.typing import ArrayLike

from hierax.likelihoods.lba import _BUDGETS, _log_phi, _sides

__all__ = ["sample_lba"]

# Truncation points c = -v/s above which the upper-tail inversion is solved by Newton's
# method on log Phi (Phi(-c) would lose precision and eventually underflow in ndtri).
_C_NEWTON = 5.0
# Continued-fraction levels of the Mills ratio for x >= 5 (relative error < 5e-16)
# and Newton steps (quadratic convergence from an O(1/c^2) start; monotone after the
# first step because log Phi is concave).
_N_CF = 20
_NEWTON_STEPS = 4


def _log_mills(x: jax.Array) -> jax.Array:
    """``log(Phi(-x)/phi(x))`` for ``x >= 5``: Laplace's continued fraction, evaluated backwards."""
    m = float(_N_CF + 1)
    tail = 2.0 * m / (jnp.sqrt(x * x + 4.0 * m) + x)
    for n in range(_N_CF, 0, -1):
        tail = n / (x + tail)
    return -jnp.log(x + tail)


def _truncated_standard_normal(
    u: jax.Array, c: jax.Array, log_upper: jax.Array, log_lower: jax.Array
) -> jax.Array:
    """``x - c`` for ``x ~ Normal(0, 1)`` truncated to ``(c, inf)``, by inversion of ``u``.

    ``log_upper`` and ``log_lower`` are ``log Phi(-c)`` and ``log Phi(c)``.
    """
    dtype = u.dtype
    # c <= 0: invert the lower-tail CDF, Phi(x) = Phi(c) + u Phi(-c) (precise near c);
    # 0 < c <= 5: the upper tail, Phi(-x) = u Phi(-c).
    below = c <= 0
    p = jnp.where(below, jnp.exp(log_lower) + u * jnp.exp(log_upper), u * jnp.exp(log_upper))
    p = jnp.maximum(p, jnp.finfo(dtype).tiny)
    x_direct = jnp.where(below, 1.0, -1.0) * ndtri(p)
    # c > 5: solve log Phi(-x) = log u + log Phi(-c) by Newton's method, starting from
    # the tail approximation Phi(-x) ~ phi(x)/x, i.e. x^2 = c^2 - 2 log u.
    c_far = jnp.maximum(c, _C_NEWTON)
    target = jnp.log(u) + log_upper
    x = jnp.sqrt(c_far * c_far - 2.0 * jnp.log(u))
    for _ in range(_NEWTON_STEPS):
        log_mills = _log_mills(x)
        log_tail = _log_phi(x) + log_mills  # log Phi(-x)
        x = jnp.maximum(x + (log_tail - target) * jnp.exp(log_mills), c_far)
    return jnp.where(c > _C_NEWTON, x - c_far, jnp.maximum(x_direct - c, 0.0))


@partial(jax.jit, static_argnames=("shape",))
def sample_lba(
    key: jax.Array,
    A: ArrayLike,
    b: ArrayLike,
    v: Sequence[ArrayLike],
    t: ArrayLike = 0.0,
    s: ArrayLike = 0.1,
    shape: tuple[int, ...] | None = None,
) -> tuple[jax.Array, jax.Array]:
    """Draw response times and responses of the Linear Ballistic Accumulator.

    Exact up to floating-point precision (see the module docstring for the
    parameterisation and the method). Pure JAX: jittable (``shape`` is static) and
    vmappable; the parameters are not checked, draws with parameters outside their
    domain have ``NaN`` response times.

    Parameters
    ----------
    key
        A JAX random key.
    A
        Upper end of the uniform start-point distribution, ``0 < A < b``.
    b
        Threshold, ``b > A``.
    v
        Mean drifts, a sequence of ``n >= 2`` arrays (one per accumulator), real.
    t
        Non-decision time, ``>= 0``.
    s
        Standard deviation of every drift, ``> 0``.
    shape
        Shape of the output; the parameters must broadcast to it. ``None``
        (default) uses the broadcast shape of the parameters.

    Returns
    -------
    rt : jax.Array
        Response times, of shape ``shape``, in the parameters' floating dtype
        (float32 or float64); ``NaN`` where ``A <= 0``, ``b <= A``, ``s <= 0``,
        ``t < 0`` or a parameter is not finite.
    response : jax.Array
        Index of the winning accumulator as a float, ``0.0 .. n-1``, same shape and
        dtype.

    Examples
    --------
    >>> import jax
    >>> rt, response = sample_lba(jax.random.key(1), 0.5, 1.0, (2.0, 1.0, 0.5), shape=(3,))
    >>> rt.shape, set(response.tolist()) <= {0.0, 1.0, 2.0}
    ((3,), True)

    Per-trial parameters broadcast, and ``vmap`` maps over keys:

    >>> keys = jax.random.split(jax.random.key(2), 5)
    >>> rts, _ = jax.vmap(lambda k: sample_lba(k, 0.4, jnp.array([0.8, 1.2]), (1.0, 1.0)))(keys)
    >>> rts.shape
    (5, 2)
    """
    v = tuple(v)
    n = len(v)
    if n < 2:
        raise ValueError(f"The LBA needs at least 2 accumulators (drifts), got {n}.")
    params = (A, b, t, s, *v)
    dtype = jnp.result_type(*params, float)
    if dtype not in (jnp.float32, jnp.float64):  # integers, float16, bfloat16
        dtype = jnp.promote_types(dtype, jnp.float32)
    if shape is None:
        shape = jnp.broadcast_shapes(*(jnp.shape(p) for p in params))
    A, b, t, s, *v = (jnp.broadcast_to(jnp.asarray(p, dtype), shape) for p in params)
    v = jnp.stack(v)  # (n, *shape)

    k_start, k_drift, k_first, k_trunc = jax.random.split(key, 4)
    start = A * jax.random.uniform(k_start, (n, *shape), dtype)
    distance = b - start
    # Index of the first accumulator with a positive drift, given that one exists.
    log_pos, log_neg = _sides(-v / s, _BUDGETS[np.dtype(dtype)], False)  # log Phi(+-v/s)
    before = jnp.concatenate([jnp.zeros_like(log_neg[:1]), jnp.cumsum(log_neg[:-1], axis=0)])
    first = jax.random.categorical(k_first, log_pos + before, axis=0)
    index = jnp.arange(n).reshape((n,) + (1,) * len(shape))

    # Its drift: Normal(v, s) truncated to (0, inf); the others after it: unconditional.
    def pick(x: jax.Array) -> jax.Array:
        return jnp.sum(jnp.where(index == first, x, 0.0), axis=0)

    u = jax.random.uniform(k_trunc, shape, dtype, minval=jnp.finfo(dtype).tiny, maxval=1.0)
    standard = _truncated_standard_normal(u, -pick(v) / s, pick(log_pos), pick(log_neg))
    drift_first = s * standard
    drift = v + s * jax.random.normal(k_drift, (n, *shape), dtype)
    drift = jnp.where(index == first, drift_first, drift)
    # Zero drift (rounding of the truncated draw, probability ~eps) finishes never.
    finishes = (index >= first) & (drift > 0)
    times = jnp.where(finishes, distance / jnp.where(finishes, drift, 1.0), jnp.inf)

    winner = jnp.argmin(times, axis=0)
    decision = jnp.min(times, axis=0)
    valid = (
        (A > 0)
        & (b > A)
        & (s > 0)
        & (t >= 0)
        & jnp.isfinite(A + b + t + s)
        & jnp.all(jnp.isfinite(v), axis=0)
    )
    rt = jnp.where(valid, t + decision, jnp.nan)
    return rt, winner.astype(dtype)
