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
drift), ``x_1 = c + (b - A) / (tau s)``, ``x_2 = c + b / (tau s)`` (so that
``x_2 - x_1 = h = A / (tau s)``) and ``y = x - c > 0`` the standardised drift itself,

.. math::

    f(\tau) = \frac{s}{A} \int_{x_1}^{x_2} (x - c)\, \phi(x)\, dx, \qquad
    1 - F(\tau) = \frac{1}{h} \int_{x_1}^{x_2} \Phi(x)\, dx, \qquad
    F(\tau) = \frac{1}{h} \int_{x_1}^{x_2} \Phi(-x)\, dx.

All three integrands are positive and log-concave. Each is evaluated in log space,
per trial, by one of two methods:

* narrow interval, ``h (|x_m| + 1) < 1`` with ``x_m`` the midpoint and ``u = h/2``:
  the midpoint Taylor series
  ``int_{x_m-u}^{x_m+u} g = 2 sum_j u^{2j+1} g^{(2j)}(x_m) / (2j+1)!``, with the
  derivatives from the probabilists' Hermite polynomials ``He_k``:
  ``d^k/dx^k [(x - c) phi] = (-1)^k ((x - c) He_k - k He_{k-1}) phi`` and
  ``Phi^{(2j)} = -He_{2j-1} phi``. ``u^k He_k(x_m)`` comes from the three-term
  recurrence; since ``u |x_m| < 1/2`` and ``u < 1/2``, ``j <= 8`` (float64; 5 in
  float32) leaves a relative error below 1e-15 (measured against mpmath). This branch
  covers small ``A / b`` and large ``tau`` (``h -> 0``), where every closed form cancels.
* wide interval: the closed form, as a difference of two positive tail integrals
  combined with ``log(1 - exp(d))``. With the normal "loss" function
  ``L(z) = int_z^inf Phi(-x) dx = phi(z) - z Phi(-z)`` and
  ``J(z) = int_z^inf (x - c) phi(x) dx = L(z) + (z - c) Phi(-z)`` (both sums of
  positive terms for ``z > c``),

  .. math::

      \int_{x_1}^{x_2} (x - c) \phi = J(x_1) - J(x_2)
        = [(x_2 - c)\Phi(x_2) + L(-x_1)] - [L(-x_2) + (x_1 - c)\Phi(x_1)],

      h F = L(x_1) - L(x_2), \qquad h (1 - F) = L(-x_2) - L(-x_1).

  For the density the (upper or lower tail) form whose subtracted part is the
  smaller fraction is used; for the survival ``log1p(-F)`` when ``F <= 1/2`` and the
  lower form otherwise. Outside the narrow branch the subtracted fraction is bounded
  away from 1 (for log-concave integrands it is at most ``exp(-0.44 h (|x_m| + 1))``),
  so the relative error stays a small multiple of the working precision.

The normal tails at ``z`` come from one evaluation at ``a = |z|``, with
``Phi(a) = 1 - Phi(-a)`` (no cancellation since ``Phi(-a) <= 1/2``) and
``L(-a) = a + L(a)``. For ``a < 5``, ``Phi(-a)`` is ``erfc(a/sqrt 2)/2`` and
``L(a) = phi(a) - a Phi(-a)`` is direct (losing at most ``log10(1 + a^2)`` digits);
for ``a >= 5``, 20 levels of Laplace's continued fraction for the Mills ratio,
``Phi(-a)/phi(a) = 1/(a + T_1)``, give ``log Phi(-a)`` and
``log L(a) = log phi(a) + log(T_1/(a + T_1))`` without cancellation (relative error
< 5e-16; float32 switches at 3 with 12 levels). (:func:`jax.scipy.special.log_ndtr`,
with its default 3-term asymptotic series, errs by 4e-9 near ``x = -20`` in
float64.) The normaliser is summed as
``1 - prod_j Phi(-v_j/s) = sum_j Phi(v_j/s) prod_{k<j} Phi(-v_k/s)`` (a sum of
positive terms), so it neither cancels nor underflows when all drifts are very
negative. Both branches are evaluated for every trial and selected with ``where``;
each is evaluated at harmless arguments where it is not used, so that no NaN reaches
the gradient. The tails and the series have ``custom_jvp`` rules (``d log Phi(-a) =
-phi(a)/Phi(-a) da``, ``d log L(a) = -Phi(-a)/L(a) da``, ``d/dx He_k = k He_{k-1}``),
so that reverse mode never differentiates through the continued fraction or the
recurrence.

Accuracy: against a 50-digit mpmath integration of the defining integrals
(``tests/likelihoods/test_lba.py``), the float64 log density is within 5e-14 of it
relative to ``max(1, |log p|)`` over 2500 random points with ``tau`` in
``1e-6..1e3``, ``A/b`` in ``1e-6..1 - 1e-9``, ``|v| <= 5``, ``s`` in ``0.01..3``
(most of that is the rounding of ``x = -v/s + b/(tau s)`` itself when ``|v|/s`` is
large); float32 is within about 3e-5.

Cost: on one CPU core, about 1 us per trial with 2 accumulators in float64 (about 3x
that for value and gradient; float32 is several times faster), a few times the naive
closed form, and a compile time of a few seconds for value and gradient.

References
----------
Brown, S. D., & Heathcote, A. (2008). The simplest complete model of choice response
time: Linear ballistic accumulation. Cognitive Psychology, 57, 153-178.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import erfc, logsumexp
from jax.typing import ArrayLike

__all__ = ["lba_logpdf"]

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_LOG_2 = math.log(2.0)
_SQRT_HALF = math.sqrt(0.5)
# Intervals with h (|x_m| + 1) below this use the midpoint series (module docstring).
_NARROW = 1.0


class _Budget(NamedTuple):
    """Per-dtype term counts (module docstring): the float32 ones stop at its precision."""

    z_cf: float  # the tails use the continued fraction for z >= z_cf ...
    n_cf: int  # ... with this many levels
    n_series: int  # terms j = 0..n_series of the midpoint series


_BUDGETS = {
    np.dtype(np.float64): _Budget(z_cf=5.0, n_cf=20, n_series=8),
    np.dtype(np.float32): _Budget(z_cf=3.0, n_cf=12, n_series=5),
}


def _log_phi(x: jax.Array) -> jax.Array:
    return -0.5 * x * x - _HALF_LOG_2PI


def _log1mexp(d: jax.Array) -> jax.Array:
    """``log(1 - exp(d))`` for ``d < 0``, to an absolute error of a few ulps.

    (``log1p(-exp(d))`` would be more accurate *relatively* for ``d << 0``, where the
    result is tiny; but it is only ever added to a log density, so absolute is enough.)
    """
    return jnp.log(-jnp.expm1(d))


def _logaddexp(a: jax.Array, b: jax.Array) -> jax.Array:
    """``log(exp(a) + exp(b))`` for finite ``a``, ``b`` (no infinity handling needed)."""
    return jnp.maximum(a, b) + jnp.log1p(jnp.exp(-jnp.abs(a - b)))


def _log_tails(z: jax.Array, budget: _Budget) -> tuple[jax.Array, jax.Array]:
    """``log Phi(-z)`` and ``log L(z)``, ``L(z) = int_z^inf Phi(-x) dx = phi(z) - z Phi(-z)``."""
    small = z < budget.z_cf
    zs = jnp.where(small, z, budget.z_cf)
    upper = 0.5 * erfc(zs * _SQRT_HALF)  # >= Phi(-5): no underflow, full relative precision
    # For z <= 0 both terms are positive; below z_cf the difference loses at most
    # log10(1 + z_cf^2) digits.
    loss = jnp.exp(_log_phi(zs)) - zs * upper
    zl = jnp.where(small, budget.z_cf, z)
    # Laplace's continued fraction Phi(-z)/phi(z) = 1/(z + 1/(z + 2/(z + 3/(z + ...)))),
    # evaluated backwards from the tail estimate T_n ~ n/(z + T_n). With T_1 the first
    # tail, Phi(-z)/phi(z) = 1/(z + T_1) and Q = 1 - z Phi(-z)/phi(z) = T_1/(z + T_1),
    # both without cancellation.
    m = float(budget.n_cf + 1)
    tail = 2.0 * m / (jnp.sqrt(zl * zl + 4.0 * m) + zl)
    for n in range(budget.n_cf, 0, -1):
        tail = n / (zl + tail)
    mills = 1.0 / (zl + tail)
    scale = jnp.where(small, 0.0, _log_phi(zl))
    log_upper = jnp.log(jnp.where(small, upper, mills)) + scale
    log_loss = jnp.log(jnp.where(small, loss, tail * mills)) + scale
    return log_upper, log_loss


def _difference(log_pos: jax.Array, log_neg: jax.Array, use: jax.Array) -> jax.Array:
    """``log(exp(log_pos) - exp(log_neg))`` where ``use``; finite (unused) elsewhere."""
    d = jnp.where(use, log_neg - log_pos, -1.0)
    # A selected difference is bounded away from 0 (module docstring); the clamp only
    # keeps the unselected (or a degenerate) branch finite.
    return log_pos + _log1mexp(jnp.minimum(d, -1e-30))


def _series_sums(xm: jax.Array, u: jax.Array, n_terms: int, derivatives: bool) -> tuple:
    """Sums of the midpoint series, with ``P_k = u^k He_k(xm)``, ``J = n_terms``.

    ``E = sum_{j=0..J} P_2j / (2j+1)!``, ``O = sum_{j=1..J} P_2j-1 / (2j+1)!`` and
    ``W = sum_{j=1..J} 2j P_2j-1 / (2j+1)!``. ``He_k`` are the probabilists' Hermite
    polynomials, from ``He_k+1 = x He_k - k He_k-1`` (scaled by ``u``, so that every
    ``|P_k|`` stays moderate where the series is used). With ``derivatives``, also their
    partial derivatives in ``xm`` and ``u``, from ``dP_k/dxm = k u P_k-1`` and
    ``dP_k/du = k P_k / u``, accumulated in the same loop.
    """
    ux, uu = u * xm, u * u
    p_prev, p = jnp.ones_like(xm), ux  # P_{k-1}, P_k for k = 1
    sums = [jnp.ones_like(xm), 0.0, 0.0]  # E, O, W
    d_x = [0.0, 0.0, 0.0]
    d_u = [0.0, 0.0, 0.0]  # times u
    for k in range(1, 2 * n_terms + 1):
        if k % 2 == 0:  # P_2j, j = k/2: into E
            weights = ((0, 1.0 / math.factorial(k + 1)),)
        else:  # P_2j-1, j = (k+1)/2: into O and W
            w = 1.0 / math.factorial(k + 2)
            weights = ((1, w), (2, (k + 1) * w))
        for index, w in weights:
            sums[index] = sums[index] + w * p
            if derivatives:
                d_x[index] = d_x[index] + (w * k) * (u * p_prev)
                d_u[index] = d_u[index] + (w * k) * p
        p_prev, p = p, ux * p - (k * uu) * p_prev
    if not derivatives:
        return tuple(sums)
    return tuple(sums), tuple(d_x), tuple(d / u for d in d_u)


@partial(jax.custom_jvp, nondiff_argnums=(2,))
def _midpoint_series(xm: jax.Array, u: jax.Array, n_terms: int) -> tuple:
    """``E, O, W`` of :func:`_series_sums`, differentiated in closed form."""
    return _series_sums(xm, u, n_terms, derivatives=False)


@_midpoint_series.defjvp
def _midpoint_series_jvp(n_terms: int, primals: tuple, tangents: tuple) -> tuple:
    (xm, u), (dxm, du) = primals, tangents
    sums, d_x, d_u = _series_sums(xm, u, n_terms, derivatives=True)
    return sums, tuple(a * dxm + b * du for a, b in zip(d_x, d_u, strict=True))


def _sides_impl(x: jax.Array, budget: _Budget, with_loss: bool) -> tuple[jax.Array, ...]:
    positive = x >= 0
    a = jnp.where(positive, x, -x)  # not abs: its derivative at 0 would be 0
    near_upper, near_loss = _log_tails(a, budget)
    far_upper = jnp.log1p(-jnp.exp(near_upper))
    out = (jnp.where(positive, near_upper, far_upper), jnp.where(positive, far_upper, near_upper))
    if not with_loss:
        return out
    far_loss = jnp.log(a + jnp.exp(near_loss))
    return (
        *out,
        jnp.where(positive, near_loss, far_loss),
        jnp.where(positive, far_loss, near_loss),
    )


@partial(jax.custom_jvp, nondiff_argnums=(1, 2))
def _sides(x: jax.Array, budget: _Budget, with_loss: bool) -> tuple[jax.Array, ...]:
    """``log Phi(-x)``, ``log Phi(x)`` and (``with_loss``) ``log L(x)``, ``log L(-x)``.

    From one tail evaluation at ``a = |x|``: ``Phi(a) = 1 - Phi(-a)`` (``Phi(-a) <= 1/2``,
    no cancellation) and ``L(-a) = a + L(a)`` (a sum of positive terms). The derivatives
    come from the values, ``d log Phi(+-x) = +-phi(x)/Phi(+-x)`` and
    ``d log L(+-x) = -+Phi(-+x)/L(+-x)``, not from differentiating the continued fraction.
    """
    return _sides_impl(x, budget, with_loss)


@_sides.defjvp
def _sides_jvp(budget: _Budget, with_loss: bool, primals: tuple, tangents: tuple) -> tuple:
    (x,), (dx,) = primals, tangents
    out = _sides_impl(x, budget, with_loss)
    log_phi = _log_phi(x)
    slopes = [-jnp.exp(log_phi - out[0]), jnp.exp(log_phi - out[1])]
    if with_loss:
        slopes += [-jnp.exp(out[0] - out[2]), jnp.exp(out[1] - out[3])]
    return out, tuple(slope * dx for slope in slopes)


def _accumulators(
    tau: jax.Array, A: jax.Array, b: jax.Array, v: jax.Array, s: jax.Array
) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array]:
    """Per accumulator: ``log f(tau)``, ``log(1 - F(tau))``, ``log Phi(v/s)``, ``log Phi(-v/s)``.

    ``v`` may carry the accumulators on a leading axis; valid inputs only.
    """
    budget = _BUDGETS[np.dtype(tau.dtype)]
    ts = tau * s
    y1 = (b - A) / ts  # standardised drift that reaches b from the top start point
    y2 = b / ts  # ... from the bottom start point
    h = A / ts
    u = 0.5 * h
    ym = y1 + u
    log_y1, log_y2, log_h = jnp.log(y1), jnp.log(y2), jnp.log(h)
    c = -v / s
    x1, x2, xm = c + y1, c + y2, c + ym
    (lq1, lq2), (lp1, lp2), (ll1, ll2), (lm1, lm2) = _sides(jnp.stack([x1, x2]), budget, True)
    stacked = jnp.stack([xm, jnp.broadcast_to(c, xm.shape)])
    (_, log_pos_drift), (lpm, log_neg_drift) = _sides(stacked, budget, False)

    narrow = u * (jnp.abs(xm) + 1.0) < 0.5 * _NARROW
    wide = ~narrow
    u = jnp.broadcast_to(u, xm.shape)
    # The series only where it is used: elsewhere its powers could overflow (and the
    # NaN of inf - inf would leak into the gradient through the unselected branch).
    even, odd, odd_weighted = _midpoint_series(
        jnp.where(narrow, xm, 0.0), jnp.where(narrow, u, 0.5), budget.n_series
    )

    # Density. Narrow: int (x - c) phi = h phi(xm) sum_j u^2j (ym He_2j - 2j He_2j-1)(xm)/(2j+1)!.
    series_pdf = log_h + _log_phi(xm) + jnp.log(ym * even - u * odd_weighted)
    # Wide: upper form J(x1) - J(x2) or the lower form, whichever subtracts less.
    up_pos = _logaddexp(ll1, log_y1 + lq1)
    up_neg = _logaddexp(ll2, log_y2 + lq2)
    lo_pos = _logaddexp(log_y2 + lp2, lm1)
    lo_neg = _logaddexp(lm2, log_y1 + lp1)
    use_up = (up_neg - up_pos) <= (lo_neg - lo_pos)
    closed_pdf = _difference(
        jnp.where(use_up, up_pos, lo_pos), jnp.where(use_up, up_neg, lo_neg), wide
    )
    log_pdf = jnp.log(s / A) + jnp.where(narrow, series_pdf, closed_pdf)

    # Survival. Narrow: (1/h) int Phi = Phi(xm) - phi(xm) u sum_j u^2j-1 He_2j-1(xm)/(2j+1)!.
    ratio = jnp.exp(_log_phi(xm) - lpm)  # phi(xm) / Phi(xm)
    series_surv = lpm + jnp.log1p(-ratio * u * odd)
    # Wide: log1p(-F) while F <= 1/2, else h(1 - F) = L(-x2) - L(-x1).
    log_cdf = _difference(ll1, ll2, wide) - log_h
    use_cdf = log_cdf <= -_LOG_2
    cdf = jnp.exp(jnp.minimum(log_cdf, -_LOG_2))
    surv_lower = _difference(lm2, lm1, wide & ~use_cdf) - log_h
    log_surv = jnp.where(narrow, series_surv, jnp.where(use_cdf, jnp.log1p(-cdf), surv_lower))
    return log_pdf, log_surv, log_pos_drift, log_neg_drift


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
    v = jnp.stack([jnp.broadcast_to(x, shape) for x in v])

    tau = rt - t
    finite = jnp.isfinite(A) & jnp.isfinite(b) & jnp.isfinite(s) & jnp.isfinite(t)
    finite = finite & jnp.all(jnp.isfinite(v), axis=0) & jnp.isfinite(rt)
    valid = (tau > 0) & (A > 0) & (b > A) & (s > 0) & finite
    codes = jnp.arange(n).reshape((n,) + (1,) * len(shape))
    winner = response == codes  # (n, *shape); no row is true for an invalid code
    valid = valid & jnp.any(winner, axis=0)
    # Double where: invalid trials are evaluated at a harmless point, then replaced.
    tau = jnp.where(valid, tau, 1.0)
    A = jnp.where(valid, A, 0.5)
    b = jnp.where(valid, b, 1.0)
    s = jnp.where(valid, s, 1.0)
    v = jnp.where(valid, v, 1.0)

    log_pdf, log_surv, log_pos, log_neg = _accumulators(tau, A, b, v, s)
    log_joint = jnp.sum(jnp.where(winner, log_pdf, log_surv), axis=0)
    # 1 - prod_j Phi(-v_j/s) = sum_j Phi(v_j/s) prod_{k<j} Phi(-v_k/s): positive terms.
    before = jnp.concatenate([jnp.zeros_like(log_neg[:1]), jnp.cumsum(log_neg[:-1], axis=0)])
    log_norm = logsumexp(log_pos + before, axis=0)
    return jnp.where(valid, log_joint - log_norm, -jnp.inf)
