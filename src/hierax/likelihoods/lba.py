r"""Linear Ballistic Accumulator (LBA; Brown & Heathcote, 2008).

Parameterisation
----------------
``n >= 2`` accumulators race to a common threshold ``b``. On every trial
accumulator ``i`` starts at ``k_i ~ Uniform(0, A)`` (``0 < A < b``) and rises
linearly with drift ``d_i ~ Normal(v_i, s)``, all independent; it reaches ``b`` at
``T_i = (b - k_i) / d_i`` if ``d_i > 0`` and never otherwise. The response is the
index of the first accumulator to finish and ``rt = t + min_i T_i``. Trials on which
every drift is negative (no accumulator ever finishes) are excluded, so the density
is conditioned on ``not all d_i < 0``, as in HSSM. With decision time
``tau = rt - t``, the density of (rt, response = i) is

.. math::

    p(rt, i) = \frac{f_i(\tau) \prod_{j \ne i} (1 - F_j(\tau))}
                    {1 - \prod_j \Phi(-v_j / s)},

where ``f_j`` and ``F_j`` are the density and distribution function of one
accumulator's finishing time (Brown & Heathcote, 2008, eqs. 1-3; ``F_j(inf) =
Phi(v_j / s)`` because negative drifts never finish):

.. math::

    F(\tau) &= 1 + \frac{b - A - \tau v}{A} \Phi(z_1) - \frac{b - \tau v}{A} \Phi(z_2)
               + \frac{\tau s}{A} \bigl(\phi(z_1) - \phi(z_2)\bigr), \\
    f(\tau) &= \frac{1}{A} \Bigl(-v \Phi(z_1) + s \phi(z_1) + v \Phi(z_2)
               - s \phi(z_2)\Bigr),
    \qquad z_1 = \frac{b - A - \tau v}{\tau s}, \; z_2 = \frac{b - \tau v}{\tau s}.

Numerical design
----------------
Written as-is, both formulas cancel catastrophically (for ``A`` small relative to
``b``, for large ``tau`` where ``z_1 ~ z_2``, for large ``|z|``, and in ``1 - F`` once
``F ~ 1``). We use instead the equivalent integrals over the standardised drift
``x = (d - v) / s`` that produced them. With ``c = -v / s`` (the standardised zero
drift), ``x_1 = c + y_1``, ``x_2 = c + y_2``, ``y_1 = (b - A) / (tau s)``,
``y_2 = b / (tau s)`` (the standardised drifts that reach ``b`` from the top and the
bottom start point) and ``h = A / (tau s) = x_2 - x_1``,

.. math::

    f(\tau) = \frac{s}{A} \int_{x_1}^{x_2} (x - c)\, \phi(x)\, dx, \qquad
    1 - F(\tau) = \frac{1}{h} \int_{x_1}^{x_2} \Phi(x)\, dx, \qquad
    F(\tau) = \frac{1}{h} \int_{x_1}^{x_2} \Phi(-x)\, dx.

Every normal tail comes from the Mills ratio ``R(a) = Phi(-a)/phi(a)`` and
``M(a) = 1 - a R(a) = L(a)/phi(a)`` at ``a = |x|``, where
``L(z) = int_z^inf Phi(-x) dx = phi(z) - z Phi(-z)`` and ``L(-z) = z + L(z)``. Below
``a = 16`` (float32: 10), ``R = sqrt(pi/2) exp(q^2) erfc(q)`` with ``q = a/sqrt 2``
(relative error ~1e-15: XLA's ``erfc`` carries the same rounded ``exp(-q^2)``) and
``M = 1 - a R`` (losing ``log10 a^2`` digits, at most 2.6e-13 relative); above, the
asymptotic series ``M = sum_{k=1..14} (-1)^(k+1) (2k-1)!! a^-2k`` (9 terms in float32)
and ``R = (1 - M)/a``. Both are differentiated from the values (``R' = -M``,
``M' = a M - R``, the latter from the series where it cancels) by a ``custom_jvp``.

All tails of one interval are scaled by ``phi(m)``, ``m`` the point of
``[x_1, x_2]`` nearest 0 (``x_1`` if ``x_1 >= 0``, ``x_2`` if ``x_2 < 0``, else 0), with
``phi(x_i)/phi(m) = exp(-(x_i - m)(x_i + m)/2)`` and ``x_i - m`` one of ``0``, ``+-h``
or ``x_i`` (no cancellation), so that nothing underflows however far the interval is
in a tail. Then, per trial, one of two methods:

* narrow interval, ``h (|x_2| + 1) < 1/4``: the one-sided Taylor series at ``x_2``.
  With ``P_j = h^j He_j(x_2)`` (probabilists' Hermite polynomials, from
  ``He_{j+1} = x He_j - j He_{j-1}``), ``E_2 = sum_j P_j/(j+2)!`` and
  ``E_3 = sum_j (j+1) P_j/(j+2)!`` (``j < 14``, 7 in float32; truncation error below
  3e-17),

  .. math::

      1 - F = \Phi(x_2) - h \phi(x_2) E_2, \qquad
      \int_{x_1}^{x_2} (x - c) \phi = h \phi(x_2) (y_2 E_2 + y_1 E_3),

  from ``Phi^(k) = (-1)^(k-1) He_{k-1} phi`` and
  ``d^k/dx^k [(x - c) phi] = (-1)^k ((x - c) He_k - k He_{k-1}) phi``. For ``x_2 >= 0``
  the survival is ``1 - F`` with ``F = phi(x_2) (R(x_2) + h E_2)`` (positive terms); for
  ``x_2 < 0`` it is ``phi(x_2) (R(|x_2|) - h E_2)`` (the subtracted fraction is below
  1/8). The series has a ``custom_jvp`` whose derivative sums
  (``dP_j/dx = j h P_{j-1}``, ``dP_j/dh = j (x P_{j-1} - (j-1) h P_{j-2})``) are
  accumulated in the same loop. This branch covers small ``A / b`` and large ``tau``
  (``h -> 0``), where every closed form cancels.
* wide interval: the closed forms, as differences of positive tail integrals. The
  survival is ``1 - F`` with ``h F = L(x_1) - L(x_2)`` when ``x_1 >= 0`` (then
  ``F <= 1/2``, so absolute precision in ``F`` is enough) and otherwise
  ``h (1 - F) = L(-x_2) - L(-x_1)``. With
  ``J(z) = int_z^inf (x - c) phi(x) dx = L(z) + (z - c) Phi(-z)``,

  .. math::

      \int_{x_1}^{x_2} (x - c) \phi = J(x_1) - J(x_2)
        = [(x_2 - c)\Phi(x_2) + L(-x_1)] - [L(-x_2) + (x_1 - c)\Phi(x_1)],

  the upper form when ``x_1 >= 0``, the lower when ``x_2 < 0`` and, when the interval
  contains 0, the one whose subtracted part is the smaller fraction. Outside the
  narrow branch the subtracted fraction is bounded away from 1 (for log-concave
  integrands it is at most about ``exp(-0.44 h (|x_2| + 1))``), so the relative error
  stays a small multiple of that of ``M``.

Both branches are evaluated for every trial and selected with ``where``; each is
evaluated at harmless arguments where it is not used, so that no NaN reaches the
gradient. Only the winner's density is formed (its log taken once per trial); every
accumulator's survival is, and the losers' are summed. The accumulators are handled one
at a time on arrays of the broadcast shape (a stacked accumulator axis makes XLA's CPU
gradients several times slower). The normaliser is summed as
``1 - prod_j Phi(-v_j/s) = sum_j Phi(v_j/s) prod_{k<j} Phi(-v_k/s)`` (a sum of
positive terms, in log space), so it neither cancels nor underflows when all drifts are
very negative, with ``log Phi(-|z|) = log phi(z) + log R(|z|)`` and
``log Phi(|z|) = log1p(-Phi(-|z|))``.

Accuracy: the float64 log density matches the 50-digit mpmath references of
``tests/likelihoods/test_lba.py`` to 1.2e-13 (at ``log p = -1000``; the others to 1.3e-14).
Over 100,000 random points with ``tau`` in ``1e-6..1e3``, ``A/b`` in ``1e-6..1 - 1e-9``,
``|v| <= 5``, ``s`` in ``0.01..3`` and 3 accumulators it agrees with the previous
(series and continued-fraction) implementation to 1.3e-12 relative to
``max(1, |log p|)``; at the worst points, checked against mpmath, it is within 8e-12
absolute (most of that is the rounding of ``x = -v/s + b/(tau s)`` itself when
``|v|/s`` is large) and its gradient within 4e-12 relative (infinity norm over the
parameters). float32 is within about 1e-5.

Cost: on one CPU core, value and gradient take about 2 us per trial with 3 accumulators
in float64 (about half the previous design's), dominated by the many separately
materialised intermediates of XLA's CPU fusion.

References
----------
Brown, S. D., & Heathcote, A. (2008). The simplest complete model of choice response
time: Linear ballistic accumulation. Cognitive Psychology, 57, 153-178.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial, reduce
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import erfc
from jax.typing import ArrayLike

__all__ = ["lba_logpdf"]

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_SQRT_HALF = math.sqrt(0.5)
_SQRT_HALF_PI = math.sqrt(0.5 * math.pi)
# Intervals with h (|x_2| + 1) below this use the Taylor series (module docstring).
_NARROW = 0.25


class _Budget(NamedTuple):
    """Per-dtype term counts (module docstring): the float32 ones stop at its precision."""

    a_asym: float  # the Mills ratio uses erfc below a_asym, the asymptotic series above
    n_asym: int  # terms of the asymptotic series
    n_series: int  # terms j = 0..n_series-1 of the Taylor series


_BUDGETS = {
    np.dtype(np.float64): _Budget(a_asym=16.0, n_asym=14, n_series=14),
    np.dtype(np.float32): _Budget(a_asym=10.0, n_asym=9, n_series=7),
}


def _log_phi(x: jax.Array) -> jax.Array:
    return -0.5 * x * x - _HALF_LOG_2PI


def _asymptotic(t: jax.Array, n_terms: int, weighted: bool) -> jax.Array:
    """``sum_k w_k (-1)^(k+1) (2k-1)!! t^k``, ``k = 1..n_terms``, ``w_k = k`` or 1 (Horner)."""
    out = jnp.zeros_like(t)
    for k in range(n_terms, 0, -1):
        coef = (-1.0) ** (k + 1) * math.prod(range(2 * k - 1, 0, -2)) * (k if weighted else 1)
        out = (out + coef) * t
    return out


def _mills_impl(a: jax.Array, budget: _Budget) -> tuple[jax.Array, jax.Array, jax.Array]:
    """``R(a)``, ``M(a) = 1 - a R(a)`` and ``M'(a)``."""
    small = a < budget.a_asym
    a_small = jnp.where(small, a, 0.0)
    q = a_small * _SQRT_HALF
    # exp(q^2) erfc(q): erfc(q) carries the same rounded exp(-q^2), so the product keeps
    # full relative precision (unlike jax.scipy.special.erfcx near q = 26.6).
    r_small = jnp.exp(q * q) * erfc(q) * _SQRT_HALF_PI
    m_small = 1.0 - a_small * r_small
    a_large = jnp.where(small, budget.a_asym, a)
    t = 1.0 / (a_large * a_large)
    m_large = _asymptotic(t, budget.n_asym, False)
    r = jnp.where(small, r_small, (1.0 - m_large) / a_large)
    m = jnp.where(small, m_small, m_large)
    # M' = a M - R, which cancels for large a: there, from the series.
    dm = jnp.where(small, a * m - r, -2.0 / a_large * _asymptotic(t, budget.n_asym, True))
    return r, m, dm


@partial(jax.custom_jvp, nondiff_argnums=(1,))
def _mills(a: jax.Array, budget: _Budget) -> tuple[jax.Array, jax.Array]:
    """Mills ratio ``R(a) = Phi(-a)/phi(a)`` and ``M(a) = 1 - a R(a) = L(a)/phi(a)``, ``a >= 0``.

    Differentiated from the values: ``R' = -M``, ``M' = a M - R``.
    """
    return _mills_impl(a, budget)[:2]


@_mills.defjvp
def _mills_jvp(budget: _Budget, primals: tuple, tangents: tuple) -> tuple:
    (a,), (da,) = primals, tangents
    r, m, dm = _mills_impl(a, budget)
    return (r, m), (-m * da, dm * da)


def _sides(x: jax.Array, budget: _Budget, with_loss: bool = False) -> tuple[jax.Array, jax.Array]:
    """``log Phi(-x)`` and ``log Phi(x)``, from ``Phi(-|x|) = phi(x) R(|x|)``.

    (``with_loss`` must be False; the signature is shared with
    :mod:`hierax.simulators.lba`, which uses this function too.)
    """
    if with_loss:
        raise ValueError("_sides no longer computes the normal loss function.")
    positive = x >= 0
    a = jnp.where(positive, x, -x)  # not abs: its derivative at 0 would be 0
    r, _ = _mills(a, budget)
    log_near = _log_phi(a) + jnp.log(r)  # log Phi(-|x|)
    log_far = jnp.log1p(-jnp.exp(log_near))  # log Phi(|x|); Phi(-|x|) <= 1/2
    return jnp.where(positive, log_near, log_far), jnp.where(positive, log_far, log_near)


def _series_sums(
    x: jax.Array, h: jax.Array, n_terms: int
) -> tuple[tuple[jax.Array, ...], tuple[jax.Array, ...], tuple[jax.Array, ...]]:
    """``E_2, E_3`` of :func:`_series` and their partial derivatives in ``x`` and ``h``.

    With ``P_j = h^j He_j(x)``: ``dP_j/dx = j h P_{j-1}`` and
    ``dP_j/dh = j h^{j-1} He_j(x) = j (x P_{j-1} - (j-1) h P_{j-2})``.
    """
    hx, hh = h * x, h * h
    p_prev2, p_prev, p = jnp.zeros_like(x), jnp.ones_like(x), hx  # P_{j-2}, P_{j-1}, P_j
    e2 = e3 = 0.5 * p_prev
    d2x = d3x = d2h = d3h = jnp.zeros_like(x)
    for j in range(1, n_terms):
        w2 = 1.0 / math.factorial(j + 2)
        w3 = (j + 1) * w2
        e2, e3 = e2 + w2 * p, e3 + w3 * p
        dx = (j * h) * p_prev
        dh = j * (x * p_prev - ((j - 1) * h) * p_prev2)
        d2x, d3x = d2x + w2 * dx, d3x + w3 * dx
        d2h, d3h = d2h + w2 * dh, d3h + w3 * dh
        p_prev2, p_prev, p = p_prev, p, hx * p - (j * hh) * p_prev
    return (e2, e3), (d2x, d3x), (d2h, d3h)


@partial(jax.custom_jvp, nondiff_argnums=(2,))
def _series(x: jax.Array, h: jax.Array, n_terms: int) -> tuple[jax.Array, jax.Array]:
    """``E_2 = sum_j P_j/(j+2)!`` and ``E_3 = sum_j (j+1) P_j/(j+2)!``, ``P_j = h^j He_j(x)``.

    ``j = 0..n_terms-1``; ``He_j`` from ``He_{j+1} = x He_j - j He_{j-1}``. Differentiated
    by sums accumulated in the same loop (:func:`_series_sums`).
    """
    return _series_sums(x, h, n_terms)[0]


@_series.defjvp
def _series_jvp(n_terms: int, primals: tuple, tangents: tuple) -> tuple:
    (x, h), (dx, dh) = primals, tangents
    values, d_x, d_h = _series_sums(x, h, n_terms)
    return values, tuple(a * dx + b * dh for a, b in zip(d_x, d_h, strict=True))


def _accumulator(
    c: jax.Array, h: jax.Array, y1: jax.Array, y2: jax.Array, budget: _Budget
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """One accumulator: ``log(1 - F(tau))``, and ``log f(tau) = log(s/A) + l + log(Q)`` as ``l, Q``.

    ``c = -v / s`` is its standardised zero drift, ``h = A / (tau s)``,
    ``y1 = (b - A) / (tau s)`` and ``y2 = b / (tau s)``; valid inputs only.
    """
    x1, x2 = c + y1, c + y2
    upper = x1 >= 0  # interval above 0
    lower = x2 < 0  # interval below 0
    pos2 = ~lower
    a1 = jnp.where(upper, x1, -x1)
    a2 = jnp.where(pos2, x2, -x2)
    r1, m1 = _mills(a1, budget)
    r2, m2 = _mills(a2, budget)
    # Everything is scaled by phi(mid) sqrt(2 pi) = exp(l), mid the point of [x1, x2]
    # nearest 0; p_i = phi(x_i) / exp(l), with x_i^2 - mid^2 = d_i (x_i + mid) formed
    # without cancellation.
    mid = jnp.where(upper, x1, jnp.where(lower, x2, 0.0))
    d1 = jnp.where(upper, 0.0, jnp.where(lower, -h, x1))
    d2 = jnp.where(upper, h, jnp.where(lower, 0.0, x2))
    p1 = jnp.exp(-0.5 * d1 * (x1 + mid)) * _INV_SQRT_2PI
    p2 = jnp.exp(-0.5 * d2 * (x2 + mid)) * _INV_SQRT_2PI
    scale = -0.5 * mid * mid
    one = jnp.where(upper | lower, 0.0, 1.0)  # 1 / exp(l) where it is used (mid = 0)
    # Scaled normal tails Phi(-x_i), Phi(x_i) and losses L(x_i), L(-x_i).
    pr1, pr2, pm1, pm2 = p1 * r1, p2 * r2, p1 * m1, p2 * m2
    tail_up1, tail_lo1 = jnp.where(upper, pr1, one - pr1), jnp.where(upper, one - pr1, pr1)
    tail_up2, tail_lo2 = jnp.where(pos2, pr2, one - pr2), jnp.where(pos2, one - pr2, pr2)
    loss_up1, loss_lo1 = (
        jnp.where(upper, pm1, one * a1 + pm1),
        jnp.where(upper, one * x1 + pm1, pm1),
    )
    loss_up2, loss_lo2 = jnp.where(pos2, pm2, one * a2 + pm2), jnp.where(pos2, one * x2 + pm2, pm2)

    narrow = h * (jnp.abs(x2) + 1.0) < _NARROW
    e2, e3 = _series(jnp.where(narrow, x2, 0.0), jnp.where(narrow, h, 0.0), budget.n_series)

    # Survival: 1 - F (F <= 1/2 above 0, <= Phi(1/4) when narrow) or S in log space.
    with_cdf = upper | (narrow & pos2)
    cdf = jnp.exp(scale) * jnp.where(narrow, p2 * (r2 + h * e2), (loss_up1 - loss_up2) / h)
    surv = jnp.where(narrow, p2 * (r2 - h * e2), (loss_lo2 - loss_lo1) / h)
    log_surv = jnp.where(with_cdf, 0.0, scale) + jnp.log(jnp.where(with_cdf, 1.0 - cdf, surv))

    # Density: the upper or lower form, whichever subtracts the smaller fraction.
    pos_up, neg_up = loss_up1 + y1 * tail_up1, loss_up2 + y2 * tail_up2
    pos_lo, neg_lo = y2 * tail_lo2 + loss_lo1, loss_lo2 + y1 * tail_lo1
    use_up = upper | (~lower & (neg_up * pos_lo <= neg_lo * pos_up))
    closed = jnp.where(use_up, pos_up - neg_up, pos_lo - neg_lo)
    dens = jnp.where(narrow, h * p2 * (y2 * e2 + y1 * e3), closed)
    return log_surv, scale, dens


def lba_logpdf(
    rt: ArrayLike,
    response: ArrayLike,
    A: ArrayLike,
    b: ArrayLike,
    v: Sequence[ArrayLike],
    t: ArrayLike = 0.0,
    s: ArrayLike = 0.1,
) -> jax.Array:
    r"""Log density of the Linear Ballistic Accumulator over (rt, response).

    The parameterisation, the formulas and their numerical evaluation are in the
    module docstring (:mod:`hierax.likelihoods.lba`).

    Parameters
    ----------
    rt
        Response time in seconds; the density is zero (log ``-inf``) for ``rt <= t``.
    response
        Index of the winning accumulator, ``0 .. n-1`` (integers or integral floats);
        any other value has density zero.
    A
        Upper end of the uniform start-point distribution, ``0 < A < b``.
    b
        Threshold, ``b > A``.
    v
        Mean drifts, a sequence of ``n >= 2`` arrays (one per accumulator), real.
    t
        Non-decision time in seconds.
    s
        Standard deviation of every drift, ``s > 0``.

    All arrays broadcast together. Floating inputs keep their dtype (float32 in,
    float32 out).

    Returns
    -------
    jax.Array
        Log density, broadcast shape. ``-inf`` (with zero gradient, never NaN) for
        ``rt <= t``, for ``response`` not in ``0 .. n-1`` and outside the parameter
        space (``A <= 0``, ``b <= A``, ``s <= 0``, non-finite parameters).

    References
    ----------
    Brown, S. D., & Heathcote, A. (2008). The simplest complete model of choice
    response time: Linear ballistic accumulation. Cognitive Psychology, 57, 153-178.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from hierax.likelihoods.lba import lba_logpdf
    >>> rt = jnp.array([0.6, 0.9])
    >>> lp = lba_logpdf(rt, jnp.array([0.0, 1.0]), A=0.5, b=1.0, v=(1.5, 1.0), t=0.2, s=0.3)
    >>> [round(float(x), 4) for x in lp]
    [0.9124, -1.654]
    >>> float(lba_logpdf(0.1, 0, A=0.5, b=1.0, v=(1.5, 1.0), t=0.2))
    -inf
    """
    v = tuple(v)
    n = len(v)
    if n < 2:
        raise ValueError(f"The LBA needs at least 2 accumulators (drifts), got {n}.")
    floats = (rt, A, b, t, s, *v)
    dtype = jnp.result_type(*floats)
    if not jnp.issubdtype(dtype, jnp.floating):
        dtype = jnp.result_type(float)
    rt, A, b, t, s, *v = (jnp.asarray(x, dtype) for x in floats)
    response = jnp.asarray(response)
    shape = jnp.broadcast_shapes(
        rt.shape, response.shape, A.shape, b.shape, t.shape, s.shape, *(x.shape for x in v)
    )
    rt, response, A, b, t, s = (jnp.broadcast_to(x, shape) for x in (rt, response, A, b, t, s))
    v = [jnp.broadcast_to(x, shape) for x in v]

    tau = rt - t
    finite = jnp.isfinite(A) & jnp.isfinite(b) & jnp.isfinite(s) & jnp.isfinite(t)
    for x in v:
        finite = finite & jnp.isfinite(x)
    valid = (tau > 0) & (A > 0) & (b > A) & (s > 0) & finite & jnp.isfinite(rt)
    winner = [response == j for j in range(n)]  # none is true for an invalid code
    valid = valid & reduce(jnp.logical_or, winner)
    # Double where: invalid trials are evaluated at a harmless point, then replaced.
    tau = jnp.where(valid, tau, 1.0)
    A = jnp.where(valid, A, 0.5)
    b = jnp.where(valid, b, 1.0)
    s = jnp.where(valid, s, 1.0)
    v = [jnp.where(valid, x, 1.0) for x in v]

    # One accumulator at a time: the arrays keep the broadcast shape (a stacked
    # accumulator axis makes XLA's CPU gradients several times slower).
    budget = _BUDGETS[np.dtype(dtype)]
    ts = tau * s
    h, y1, y2 = A / ts, (b - A) / ts, b / ts
    log_joint = jnp.zeros(shape, dtype)
    scale = dens = jnp.ones(shape, dtype)
    norm_terms = []
    log_before = jnp.zeros(shape, dtype)  # log P(d_k < 0 for all k < j)
    for j, v_j in enumerate(v):
        c = -v_j / s  # the standardised zero drift
        log_surv, scale_j, dens_j = _accumulator(c, h, y1, y2, budget)
        log_joint = log_joint + jnp.where(winner[j], 0.0, log_surv)
        scale = jnp.where(winner[j], scale_j, scale)
        dens = jnp.where(winner[j], dens_j, dens)
        # 1 - prod_j Phi(-v_j/s) = sum_j Phi(v_j/s) prod_{k<j} Phi(-v_k/s): positive terms.
        log_pos, log_neg = _sides(c, budget)  # log Phi(v/s), log Phi(-v/s)
        norm_terms.append(log_pos + log_before)
        log_before = log_before + log_neg
    log_joint = log_joint + jnp.log(s / A) + scale + jnp.log(dens)
    top = reduce(jnp.maximum, norm_terms)
    log_norm = top + jnp.log(sum(jnp.exp(x - top) for x in norm_terms))
    return jnp.where(valid, log_joint - log_norm, -jnp.inf)
