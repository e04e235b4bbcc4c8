r"""Racing diffusion model: a race of Wald accumulators with uniform start points.

Model (Tillman, Van Zandt & Logan, 2020; parameter names as HSSM's
``racing_diffusion_3``)
--------------------------------------------------------------------------------
``n >= 2`` accumulators race to a common threshold ``b``. Accumulator ``i`` is a
Wiener process with drift ``v_i > 0`` and unit diffusion coefficient, started at
its own point drawn per trial from ``Uniform(0, A)``, ``0 <= A < b``; so the
distance it travels, ``d = b - start``, is uniform on ``(b - A, b)``. The first
accumulator to reach ``b`` gives the response (``0 .. n-1``); the response time is
its first-passage time plus the non-decision time ``t``. With ``tau = rt - t`` the
density of response ``i`` at ``rt`` is

.. math::

    p(rt, i) = f_i(\tau) \prod_{j \ne i} S_j(\tau), \qquad S_j = 1 - F_j,

where ``f`` and ``F`` are the density and the distribution function of the
first-passage time of one accumulator, averaged over its start point.

One accumulator
---------------
For a fixed distance ``d`` the first-passage time is inverse Gaussian (Wald),
with density and survival function

.. math::

    g(\tau \mid d) = \frac{d}{\sqrt{2\pi\tau^3}}
        \exp\!\left(-\frac{(d - v\tau)^2}{2\tau}\right), \qquad
    S_W(\tau \mid d) = \Phi\!\left(\frac{d - v\tau}{\sqrt\tau}\right)
        - e^{2vd}\,\Phi\!\left(-\frac{d + v\tau}{\sqrt\tau}\right).

Averaging over ``d ~ Uniform(b - A, b)``, with ``s = sqrt(tau)``,
``alpha = (b - A - v tau)/s`` and ``beta = (b - v tau)/s``, the substitution
``x = (d - v tau)/s`` (``g dd = (x/s + v) phi(x) dx``) gives (Logan, Van Zandt,
Verbruggen & Wagenmakers, 2014, appendix; Tillman et al., 2020, eq. 5)

.. math::

    f(\tau) = \frac{1}{A}\left[v\,(\Phi(\beta) - \Phi(\alpha))
        + \frac{\phi(\alpha) - \phi(\beta)}{\sqrt\tau}\right].

The distribution function follows by integrating the Wald distribution function
``1 - S_W`` over ``d``; with ``xPhi(-x) - phi(x)`` an antiderivative of
``Phi(-x)`` and one integration by parts (``e^{2vd} phi((d + v tau)/s) =
phi((d - v tau)/s)``),

.. math::

    F(\tau) = \frac{1}{A}\Big\{\sqrt\tau\,[\beta\Phi(-\beta) - \phi(\beta)
        - \alpha\Phi(-\alpha) + \phi(\alpha)]
      + \frac{1}{2v}\big[e^{2vb}\,\Phi(-\tfrac{b + v\tau}{\sqrt\tau})
        - e^{2v(b - A)}\,\Phi(-\tfrac{b - A + v\tau}{\sqrt\tau})
        + \Phi(\beta) - \Phi(\alpha)\big]\Big\}.

(Differentiating in ``tau`` returns ``f``; ``F -> 1`` as ``tau -> oo``; as
``A -> 0`` both reduce to the Wald distribution at ``d = b``.) The tests check
both against 50-digit integrals over the start point.

Numerical design
----------------
Written as they stand, these formulas lose every digit in parts of the parameter
space: ``e^{2vb}`` overflows, the differences ``Phi(beta) - Phi(alpha)`` and
``phi(alpha) - phi(beta)`` cancel for small ``A / sqrt(tau)``, and ``1 - F``
cancels where the survival is small (a losing accumulator late in the trial,
``S ~ exp(-v**2 tau / 2)``). The implementation never forms ``F``; it computes
``log f`` and ``log S`` from quantities that stay finite.

* Everything is written with Mills' ratio ``R(y) = Phi(-y) / phi(y)`` at
  ``y >= 0``, its derivatives ``R' = -Q`` with ``Q = 1 - yR`` and
  ``R'' = E = (1 + y**2) R - y``: the products become
  ``e^{2vd} Phi(-(d + v tau)/s) = phi(x) R(x + 2c)`` with ``x = (d - v tau)/s``
  and ``c = v s``. For ``y >= 4`` all derivatives come from the continued
  fraction ``R = 1/(y + u_1)``, ``u_k = k/(y + u_{k+1})``, as
  ``R^(k) = (-1)^k u_1 ... u_k R`` (no cancellation), evaluated as the equivalent
  backward recurrence (Miller's algorithm) in ``w = 1/y**2``, whose top two terms
  are fixed polynomials in ``w`` with positive coefficients: two divisions per
  point instead of one per level. Below, from a Chebyshev series of ``R`` and the
  recurrence ``R^(k+1) = y R^(k) + k R^(k-1)``. (Not ``erfcx``: see
  :func:`_mills_derivatives`.)
* Mean slopes ``M = (R(x) - R(x + h))/h`` (the mean of ``Q``, which is positive)
  are a midpoint Taylor series of positive terms when ``h`` is small against
  ``max(1, x)``, else the direct difference.
* At a fixed distance ``d`` (``p = d/s``, ``x = p - c``) the Wald survival is
  ``S_W = phi(x) 2p M(|x|, 2p)`` for ``x < 0`` and
  ``S_W = erf(x/sqrt 2) + phi(x) 2c M(x, 2c)`` for ``x >= 0``: no cancellation.
* Narrow start-point ranges, ``(A/s) max(1, |alpha|, |beta|) < 1.5``: the average
  over ``d`` is an 8-point Gauss-Legendre rule applied to ``g`` and ``S_W`` relative
  to the Gaussian factor ``phi(x_m)`` at the midpoint of the range (for ``S``: where
  ``x_m < 0``, else relative to 1), which the factors at the nodes differ from by at
  most ``exp(0.75)``; ``A = 0`` is the plain Wald race exactly, and the result is
  continuous as ``A -> 0``.
* Wide ranges: the closed forms above, rearranged for each sign pattern of
  ``alpha`` and ``beta`` into differences of positive terms whose ratio is at
  most ``exp(-0.75)`` (so that they lose at most about a bit), with the Gaussian
  factor of the larger end taken out in log space. For ``0 <= alpha < beta``,
  ``A s f = phi(alpha) (c R(alpha) + 1) - phi(beta) (c R(beta) + 1)`` and
  ``(A/s) S = A/s + phi(beta) G(beta) - phi(alpha) G(alpha)``, ``G = Q + M(., 2c)``;
  for ``alpha < beta <= 0`` (``y = -x``, ``p = distance / s``),
  ``A s f = phi(beta) T(beta) - phi(alpha) T(alpha)``, ``T = p R(y) - Q(y)``, and
  ``c (A/s) S = phi(beta) B(beta) - phi(alpha) B(alpha)``,
  ``B = p (Q(y) + M(y, 2p)) - E(y)``; for ``alpha < 0 < beta`` the centre terms
  ``1/(2c)`` of the antiderivatives cancel exactly and are dropped.

Gradients
---------
Through a ``jax.custom_jvp`` rule, not through the computation: the partial
derivatives of ``log f`` and ``log S`` with respect to ``tau, A, b, v`` have
forms of the same kind. Narrow ranges: the same quadrature of the derivatives at
fixed ``d`` (``d log g/dd = 1/d - x/s``, ``d log g/dv = x s``,
``dS_W/dd = (2/s) phi(x) (Q + pR)(p + c)``, ``dS_W/dv = -2 d phi(x) R(p + c)``,
``dS_W/dtau = -g``). Wide ranges: values at the two ends, e.g.
``df/db = (g(b) - g(b - A))/A``, ``dS/dA = (S_W(b - A) - S)/A``, and, because
``g`` and ``S_W`` depend on ``(d, tau, v)`` only through ``d/s``, ``v s`` (and
``1/tau``), ``v dS/dv = -2 tau f + (b S_W(b) - (b - A) S_W(b - A))/A - S``. The
gradients agree with central differences of the values to 1e-6 relative (float64;
the tests) and are finite everywhere, exactly zero where the log density is ``-inf``.

Computation
-----------
XLA's CPU compiler fuses elementwise producers into each of their consumers and
has no multi-output fusion, so every quantity used twice would be computed twice.
The value and all partial derivatives of the log density are computed in one pass
(:func:`~hierax.likelihoods._once.computed_once`, as in the DDM); inside it the
polynomials of the Mills-ratio evaluations, the mean slopes and the values are
materialised the same way before their several consumers read them. Sums over the
quadrature nodes and the accumulators are unrolled into elementwise additions,
which fuse with their operands (a CPU reduction of a fused operand is several
times slower).

References
----------
Tillman, G., Van Zandt, T., & Logan, G. D. (2020). Sequential sampling models
without random between-trial variability: the racing diffusion model of speeded
decision making. Psychonomic Bulletin & Review, 27, 911-936.

Logan, G. D., Van Zandt, T., Verbruggen, F., & Wagenmakers, E.-J. (2014). On the
ability to inhibit thought and action: general and special theories of an act of
control. Psychological Review, 121, 66-95.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import erf
from jax.typing import ArrayLike

from hierax.likelihoods._once import computed_once
from hierax.likelihoods.ddm import _as_float_arrays

__all__ = ["racing_diffusion_logpdf"]

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_SQRT_2PI = math.sqrt(2.0 * math.pi)
_SQRT_HALF = math.sqrt(0.5)

_N_QUAD = 8
"""Gauss-Legendre nodes of the start-point average on narrow ranges."""
_QUAD_NODES, _QUAD_WEIGHTS = np.polynomial.legendre.leggauss(_N_QUAD)
_HALF_WEIGHTS = 0.5 * _QUAD_WEIGHTS

_WIDE = 1.5
"""Closed forms where ``(A / sqrt(tau)) * max(1, |alpha|, |beta|) >= _WIDE``.

Below, the Gaussian factor of the integrand changes over the start-point range by
a factor of at most about ``e**1.5`` and the 8-point rule is accurate to about
1e-15 (measured: 4e-14 relative at worst on 300 points near the switch); above,
the two ends of each closed form differ by at least that factor, so their
difference loses at most about a bit. (With a switch at 0.7 the closed forms
lose up to 8 digits; with 6 nodes the rule leaves 5e-10.)
"""

_RATIO_CAP = 0.99
"""Cap of the end ratio in a ``log1p(-ratio)``: at most ``exp(-0.75)`` where the
formula is used, the cap only keeps it finite where it is not."""

_CF_FROM = 4.0
"""Mills'-ratio derivatives from the continued fraction for ``y >= _CF_FROM``."""
_CF_DEPTH = 40
"""Depth of the backward recurrence, started from 0: measured against 40-digit
integrals at ``y = 4 .. 100``, relative error of ``R, R', R''`` below 2e-16, 2e-14 at
order 5, 3e-9 at order 15 (which only enters the slope series, whose terms fall by a
factor 64 or more each)."""

_MILLS_CHEBYSHEV = (
    0.567187623965592,
    -0.45105502220699667,
    0.16057284946436629,
    -0.05239520306636461,
    0.015909910721187276,
    -0.004543535521544856,
    0.0012298714899776565,
    -0.00031744699622108976,
    7.850473067380276e-05,
    -1.867302938952089e-05,
    4.285710924096716e-06,
    -9.516922159896553e-07,
    2.0494708577314013e-07,
    -4.288733698753204e-08,
    8.736136814787177e-09,
    -1.7349372350327286e-09,
    3.363708611210224e-10,
    -6.37465547088068e-11,
    1.1821676202974903e-11,
    -2.147435146917942e-12,
    3.8245034369643046e-13,
    -6.683519880860847e-14,
    1.1469432825115238e-14,
    -1.9341501766800095e-15,
    3.2072415457936764e-16,
    -5.2326532777976094e-17,
    8.399852760939611e-18,
    -1.297790455872335e-18,
)
"""Chebyshev coefficients of ``R(y)`` on ``[0, _CF_FROM]`` (in ``y / 2 - 1``): the
interpolant at 28 Chebyshev points of the 40-digit values of
``sqrt(pi/2) exp(y**2/2) erfc(y/sqrt 2)`` (mpmath); relative error below 4e-16."""
_MILLS_MONOMIAL = tuple(float(a) for a in np.polynomial.chebyshev.cheb2poly(_MILLS_CHEBYSHEV))
"""The same polynomial in powers of ``y / 2 - 1``, for Estrin's scheme (coefficients of
alternating sign, absolute sum ``R(0)``; measured against 40-digit values, relative
error below 3e-16 on ``[0, 4]``)."""

_SERIES_TERMS = 8
"""Terms of the midpoint series of a mean slope of ``R`` (odd orders up to 15)."""
_SERIES_WIDTH = 0.25
"""Series where the width ``h <= _SERIES_WIDTH * max(1, midpoint)``.

Successive terms of the series fall by ``(h / (2 max(1, midpoint)))**2 <= 1/64``
or faster, so 8 terms leave about 64**-8 = 4e-15; beyond it the direct difference
``R(x) - R(x + h)`` loses less than three bits.
"""

_SAFE_TAU = 1.0
_SAFE_A = 0.5
_SAFE_B = 1.0
_SAFE_V = 1.0
"""A valid parameter point where invalid trials are evaluated (double ``where``)."""


def _log_phi(x: jax.Array) -> jax.Array:
    """Log of the standard normal density."""
    return -0.5 * x * x - _LOG_SQRT_2PI


def _phi(x: jax.Array) -> jax.Array:
    """Standard normal density."""
    return jnp.exp(_log_phi(x))


def _sum0(x: jax.Array) -> jax.Array:
    """Sum over the (short) leading axis, unrolled.

    As elementwise additions it fuses with its operands into one loop; XLA's CPU
    reduction of a fused operand (a YNNPACK fusion in jax 0.10) is many times slower.
    """
    total = x[0]
    for k in range(1, x.shape[0]):
        total = total + x[k]
    return total


_SLOPE_SCALE = np.array([-1.0 / math.factorial(2 * j + 1) for j in range(_SERIES_TERMS)])


def _polynomial(coefs: Sequence[float], x: jax.Array) -> jax.Array:
    """``sum_k coefs[k] x**k`` by Estrin's scheme (a dependency chain of depth log2 n)."""
    terms = [coefs[k] + coefs[k + 1] * x for k in range(0, len(coefs) - 1, 2)]
    if len(coefs) % 2:
        terms.append(jnp.full_like(x, coefs[-1]))
    power = x
    while len(terms) > 1:
        power = power * power
        pairs = [terms[k] + terms[k + 1] * power for k in range(0, len(terms) - 1, 2)]
        terms = pairs + ([terms[-1]] if len(terms) % 2 else [])
    return terms[0]


def _miller_polynomials(depth: int) -> list[tuple[float, ...]]:
    """Coefficients in ``w`` of ``K_0, ..., K_depth`` of the backward recurrence.

    ``K_depth = 1``, ``K_{depth + 1} = 0`` and ``K_{k-1} = K_k + (k + 1) w K_{k+1}``:
    polynomials with positive integer coefficients (exact in Python integers).
    """
    polys = {depth + 1: [0], depth: [1]}
    for k in range(depth, 0, -1):
        upper, lower = polys[k], [0] + [(k + 1) * a for a in polys[k + 1]]
        n = max(len(upper), len(lower))
        polys[k - 1] = [
            (upper[i] if i < len(upper) else 0) + (lower[i] if i < len(lower) else 0)
            for i in range(n)
        ]
    return [tuple(float(a) for a in polys[k]) for k in range(depth + 1)]


_MILLER = _miller_polynomials(_CF_DEPTH)


def _mills_chebyshev(y: jax.Array) -> jax.Array:
    """Mills' ratio at ``0 <= y <= _CF_FROM`` from its Chebyshev series."""
    return _polynomial(_MILLS_MONOMIAL, y * (2.0 / _CF_FROM) - 1.0)


def _mills_derivatives(y: jax.Array, order: int) -> list[jax.Array]:
    """``[R, R', ..., R^(order)]`` of Mills' ratio at ``y >= 0``.

    By the recurrence ``R^(k+1) = y R^(k) + k R^(k-1)`` from the Chebyshev series of
    ``R`` below ``_CF_FROM`` (stable there). Above, by the continued fraction
    ``R = 1/(y + u_1)``, ``u_k = k/(y + u_{k+1})`` (depth ``_CF_DEPTH``, started from
    0), evaluated without a division per level as the equivalent backward recurrence
    (Miller's algorithm) for ``K_k = y**(k+1) |R^(k)| / k!``, the positive minimal
    solution of ``K_{k-1} = K_k + (k + 1) w K_{k+1}``, ``w = 1/y**2``, normalised by
    ``K_0 + w K_1 = 1`` (that is ``R' = y R - 1``); then
    ``R^(k) = (-1)^k k! K_k / y**(k+1)``. ``K_order`` and ``K_{order+1}`` are
    evaluated as polynomials in ``w`` (:func:`_miller_polynomials`), the lower ones by
    the recurrence. All terms are positive: no cancellation, no overflow, two
    divisions per point. A list, unrolled: apart from the materialised polynomials the
    computation fuses into the consumers' loops.

    Not ``erfcx``: ``jax.scipy.special.erfcx`` returns 0 on a window of its argument
    (about 9.19-9.42 in float32, 26.54-26.64 in float64; jax 0.10).
    """
    use_cf = y >= _CF_FROM
    y_rec = jnp.minimum(y, _CF_FROM)
    y_cf = jnp.maximum(y, _CF_FROM)
    w = 1.0 / (y_cf * y_cf)
    ks = [None] * (order + 2)

    def pieces(w: jax.Array, y_rec: jax.Array) -> tuple[jax.Array, ...]:
        miller = (_polynomial(_MILLER[k], w) for k in (order, order + 1))
        return *miller, _mills_chebyshev(y_rec)

    # Materialised: XLA's CPU fusion would otherwise repeat the polynomials in the
    # loop of every consumer of every derivative (it has no multi-output fusion).
    ks[order], ks[order + 1], r_rec = computed_once(pieces, y.reshape(-1)[:1], w, y_rec)
    for k in range(order, 0, -1):
        ks[k - 1] = ks[k] + ((k + 1) * w) * ks[k + 1]
    inv_y = y_cf * w
    power = inv_y / (ks[0] + w * ks[1])  # 1 / (y (K_0 + K_1 / y**2))
    derivs = [jnp.where(use_cf, ks[0] * power, r_rec)]
    previous, current = r_rec, y_rec * r_rec - 1.0
    for k in range(1, order + 1):
        power = power * inv_y
        derivs.append(
            jnp.where(use_cf, float((-1) ** k * math.factorial(k)) * ks[k] * power, current)
        )
        previous, current = current, y_rec * current + k * previous
    return derivs


def _mean_slope(
    lo: jax.Array, h: jax.Array, extra: jax.Array
) -> tuple[jax.Array, jax.Array, jax.Array, list[jax.Array]]:
    """Mean slope of Mills' ratio on ``[lo, hi = lo + h]``, ``lo, h >= 0``.

    Returns ``(M, R(hi), Q(hi), [R, R', R''](extra))`` with ``M = (R(lo) - R(hi)) / h``,
    the mean of ``Q = -R'`` on the interval: for narrow intervals the midpoint series
    ``M = -sum_j R^(2j+1)(mid) (h/2)**(2j) / (2j+1)!`` (positive terms), else the
    direct difference. Two stacked evaluations (two copies of the code to compile):
    all derivatives at the series point (``mid`` or ``lo``), and ``R, R', R''`` at
    ``hi`` and ``extra``.
    """
    n = lo.shape[0]
    mid = lo + 0.5 * h
    series = h <= _SERIES_WIDTH * jnp.maximum(1.0, mid)
    d = _mills_derivatives(jnp.where(series, mid, lo), 2 * _SERIES_TERMS - 1)
    low = _mills_derivatives(jnp.concatenate([lo + h, extra]), 2)
    r_hi, r1_hi = low[0][:n], low[1][:n]
    half_sq = jnp.where(series, 0.25 * h * h, 0.0)
    slope = d[2 * _SERIES_TERMS - 1] * float(_SLOPE_SCALE[-1])
    for j in range(_SERIES_TERMS - 2, -1, -1):
        slope = slope * half_sq + d[2 * j + 1] * float(_SLOPE_SCALE[j])
    direct = (d[0] - r_hi) / jnp.where(series, 1.0, h)
    at_extra = [x[n:] for x in low]
    return jnp.where(series, slope, direct), r_hi, -r1_hi, at_extra


# --------------------------------------------------------------------------
# Wald accumulator at a fixed distance (narrow start-point ranges)
# --------------------------------------------------------------------------


def _wald_sf_parts(
    p: jax.Array, c: jax.Array, slope: jax.Array
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Survival of the Wald time at ``p = d / sqrt(tau) > 0``, ``c = v sqrt(tau)``.

    With ``x = p - c`` and ``M`` (``slope``) the mean slope of ``R`` on
    ``[|x|, p + c]``: ``S = phi(x) 2p M`` for ``x < 0`` and
    ``S = erf(x / sqrt 2) + phi(x) 2c M`` for ``x >= 0``, both free of cancellation.
    Returns ``(x < 0, 2p M, erf(x / sqrt 2) + phi(x) 2c M)``: the survival is
    ``phi(x)`` times the second where the first is true, else the third.
    """
    x = p - c
    x_pos = jnp.maximum(x, 0.0)
    above = erf(x_pos * _SQRT_HALF) + 2.0 * c * _phi(x_pos) * slope
    return x < 0.0, 2.0 * p * slope, above


# --------------------------------------------------------------------------
# Closed forms (wide start-point ranges)
# --------------------------------------------------------------------------


def _log_diff(x: jax.Array, y: jax.Array) -> jax.Array:
    """``log(max(x - y, tiny))``: a difference that is positive in exact arithmetic."""
    return jnp.log(jnp.maximum(x - y, jnp.finfo(x.dtype).tiny))


def _wide(
    c: jax.Array,
    delta: jax.Array,
    p_a: jax.Array,
    p_b: jax.Array,
    end_a: tuple[jax.Array, ...],
    end_b: tuple[jax.Array, ...],
) -> tuple[jax.Array, ...]:
    """``log I_f`` and ``log I_S`` (``A s f`` and ``(A/s) S``) from the closed forms.

    Returned as ``(scale_f, rel_f, scale_s, rel_s, ratio)`` with
    ``log I_f = scale_f + rel_f``, ``log I_S = scale_s + rel_s``: the scales are the
    log Gaussian factor of the larger end (or 0), kept apart so that ratios of
    these quantities do not lose precision; ``ratio = phi(alpha)/phi(beta)`` or its
    inverse, whichever is ``<= 1``.

    ``p_a = (b - A)/s`` and ``p_b = b/s``; the ends are ``alpha = p_a - c`` and
    ``beta = p_b - c``. At each end the same four numbers ``end = (M, R, Q, E)`` serve
    all three sign patterns: ``R, Q, E`` at ``|x|`` and the mean slope ``M`` of ``R``
    on ``[|x|, p + c]``, which is ``M(x, 2c)`` for ``x >= 0`` and ``M(-x, 2p)`` for
    ``x < 0``.
    """
    m_a, r_a, q_a, e_a = end_a
    m_b, r_b, q_b, e_b = end_b
    alpha = p_a - c
    beta = p_b - c
    y_a = jnp.abs(alpha)
    y_b = jnp.abs(beta)
    phi_a = _phi(alpha)
    phi_b = _phi(beta)
    # phi(alpha) / phi(beta) on the side where |alpha| > |beta|; <= 1 everywhere.
    ratio = jnp.exp(-0.5 * delta * (y_a + y_b))

    # 0 <= alpha < beta:
    #   I_f = phi(alpha) (c R(alpha) + 1) - phi(beta) (c R(beta) + 1),
    #   I_S = delta + phi(beta) G(beta) - phi(alpha) G(alpha),  G = Q + M.
    k_a = c * r_a + 1.0
    ratio_f = jnp.minimum(ratio * (c * r_b + 1.0) / k_a, _RATIO_CAP)
    f_right = (k_a, k_a * ratio_f)  # I_f / phi(alpha) = first - second
    s_right = (delta + phi_b * (q_b + m_b), phi_a * (q_a + m_a))

    # alpha < beta <= 0, y = -x:
    #   I_f = phi(beta) T(beta) - phi(alpha) T(alpha),  T = p R(y) - Q(y),
    #   I_S = [phi(beta) B(beta) - phi(alpha) B(alpha)] / c,  B = p (Q + M) - E.
    f_left = (p_b * r_b - q_b, ratio * (p_a * r_a - q_a))  # I_f / phi(beta)
    s_left = (p_b * (q_b + m_b) - e_b, ratio * (p_a * (q_a + m_a) - e_a))  # c I_S / phi(beta)

    # alpha < 0 < beta:
    #   I_f = c (Phi(beta) - Phi(alpha)) + phi(alpha) - phi(beta),
    #   I_S = beta + phi(beta) G(beta) - [p_a phi(alpha) (Q + M)(y_a) + 2 Z(y_a)] / c
    #   with Z(y) = int_0^y phi Q = [erf(y / sqrt 2) / 2 + y phi(y) Q(y)] / 2, and
    #   Phi(beta) - Phi(alpha) = 1 - phi(beta) R(beta) - phi(alpha) R(-alpha).
    f_centre = (c * (1.0 - phi_b * r_b - phi_a * r_a) + phi_a, phi_b)
    z_a = 0.5 * (0.5 * erf(y_a * _SQRT_HALF) + y_a * phi_a * q_a)
    s_centre = (beta + phi_b * (q_b + m_b), (p_a * phi_a * (q_a + m_a) + 2.0 * z_a) / c)

    right = alpha >= 0.0
    left = beta <= 0.0

    def pick(r, l, m):
        return tuple(
            jnp.where(right, x, jnp.where(left, y, z)) for x, y, z in zip(r, l, m, strict=True)
        )

    scale_f = jnp.where(right, _log_phi(alpha), jnp.where(left, _log_phi(beta), 0.0))
    scale_s = jnp.where(left, _log_phi(beta), 0.0)
    rel_f = _log_diff(*pick(f_right, f_left, f_centre))
    rel_s = _log_diff(*pick(s_right, s_left, s_centre)) - jnp.where(left, jnp.log(c), 0.0)
    return scale_f, rel_f, scale_s, rel_s, ratio


def _geometry(tau: jax.Array, A: jax.Array, b: jax.Array, v: jax.Array) -> dict[str, jax.Array]:
    """Scaled distances and drift of one accumulator, and the narrow / wide switch."""
    s = jnp.sqrt(tau)
    c = v * s
    delta = A / s
    p_a = (b - A) / s  # b - A first: exact where A is close to b
    p_b = b / s
    alpha = p_a - c
    beta = p_b - c
    wide = delta * jnp.maximum(1.0, jnp.maximum(jnp.abs(alpha), jnp.abs(beta))) >= _WIDE
    one = jnp.ones_like(c)
    A_w = jnp.where(wide, A, one)
    expand = (slice(None),) + (None,) * tau.ndim
    nodes = jnp.asarray(_QUAD_NODES, tau.dtype)[expand]
    # Distances / s: the quadrature nodes, then the two ends of the range.
    p_all = jnp.concatenate([(b - 0.5 * A * (1.0 + nodes)) / s, p_a[None], p_b[None]])
    return dict(
        s=s,
        c=c,
        delta=delta,
        p_a=p_a,
        p_b=p_b,
        alpha=alpha,
        beta=beta,
        wide=wide,
        A_w=A_w,
        log_A=jnp.log(A_w),
        log_delta=jnp.log(jnp.where(wide, delta, one)),
        log_tau=jnp.log(tau),
        nodes=nodes,
        weights=jnp.asarray(_HALF_WEIGHTS, tau.dtype)[expand],
        p_all=p_all,
        y_all=jnp.abs(p_all - c),
    )


def _accumulator_values(
    tau: jax.Array, A: jax.Array, b: jax.Array, v: jax.Array
) -> dict[str, jax.Array]:
    """``log f``, ``log S`` of one accumulator, and what their partials need."""
    g = _geometry(tau, A, b, v)
    c, p_all, y_all, alpha, beta = g["c"], g["p_all"], g["y_all"], g["alpha"], g["beta"]
    weights, log_tau, wide = g["weights"], g["log_tau"], g["wide"]
    # One evaluation of the Mills-ratio quantities at all distances, and R, Q = -R',
    # E = R'' at |x| of the two ends.
    slope, r_hi, q_hi, (r_lo, r1_lo, e_lo) = computed_once(
        _mean_slope, y_all.reshape(-1)[:1], y_all, 2.0 * jnp.minimum(p_all, c), y_all[-2:]
    )
    below, sf_scaled, sf_above = _wald_sf_parts(p_all, c, slope)
    # log S_W at the two ends = [log phi(x) where x < 0] + log_sw_rel
    log_sw_rel = jnp.log(jnp.where(below[-2:], sf_scaled[-2:], sf_above[-2:]))
    end_a = (slope[-2], r_lo[0], -r1_lo[0], e_lo[0])
    end_b = (slope[-1], r_lo[1], -r1_lo[1], e_lo[1])

    # Wide ranges: closed forms.
    scale_f, rel_f, scale_s, rel_s, ratio = _wide(c, g["delta"], g["p_a"], g["p_b"], end_a, end_b)
    rel_f = rel_f - g["log_A"] - 0.5 * log_tau  # log f = scale_f + rel_f
    rel_s = rel_s - g["log_delta"]  # log S = scale_s + rel_s

    # Narrow ranges: Gauss-Legendre over the distance, relative to the Gaussian
    # factor at the midpoint x_m (the node factors e_k = phi(x_k) / phi(x_m) are
    # within exp(+-0.75) of 1 there), or to 1 for the survival where x_m >= 0.
    p = p_all[:_N_QUAD]
    x = p - c
    below_n = below[:_N_QUAD]
    x_m = 0.5 * (alpha + beta)
    log_phi_m = _log_phi(x_m)
    log_scale_s = jnp.where(x_m < 0.0, log_phi_m, 0.0)
    we = weights * jnp.exp(-0.5 * (x - x_m) * (x + x_m))
    wpe = we * p
    sum_f = _sum0(wpe)
    w_phi = we * jnp.exp(log_phi_m - log_scale_s)  # w_k phi(x_k) / scale
    sf_node = jnp.where(
        below_n, w_phi * sf_scaled[:_N_QUAD], weights * sf_above[:_N_QUAD] * jnp.exp(-log_scale_s)
    )
    sum_s = _sum0(sf_node)

    log_f = jnp.where(wide, scale_f + rel_f, log_phi_m - log_tau + jnp.log(sum_f))
    log_s = jnp.minimum(jnp.where(wide, scale_s + rel_s, log_scale_s + jnp.log(sum_s)), 0.0)
    return dict(
        log_f=log_f,
        log_s=log_s,
        r_hi=r_hi[:_N_QUAD],
        q_hi=q_hi[:_N_QUAD],
        r_lo=r_lo,
        below_a=below[-2],
        log_sw_rel=log_sw_rel,
        scale_f=scale_f,
        rel_f=rel_f,
        scale_s=scale_s,
        rel_s=rel_s,
        ratio=ratio,
        we=we,
        wpe=wpe,
        w_phi=w_phi,
        sum_f=sum_f,
        sum_s=sum_s,
    )


def _accumulator_terms(
    tau: jax.Array, A: jax.Array, b: jax.Array, v: jax.Array, with_partials: bool
) -> tuple:
    """``log f``, ``log S`` of one accumulator (valid parameters, ``tau > 0``).

    With ``with_partials`` also their partial derivatives with respect to
    ``(tau, A, b, v)``, each a tuple of four arrays; the values and what the
    partials share with them are then materialised first (:func:`computed_once`).
    """
    if not with_partials:
        values = _accumulator_values(tau, A, b, v)
        return values["log_f"], values["log_s"]
    values = computed_once(_accumulator_values, tau.reshape(-1)[:1], tau, A, b, v)
    g = _geometry(tau, A, b, v)
    s, c, p_a, p_b, alpha, beta = (g[k] for k in ("s", "c", "p_a", "p_b", "alpha", "beta"))
    wide, A_w, log_A, log_tau, nodes = (g[k] for k in ("wide", "A_w", "log_A", "log_tau", "nodes"))
    log_f, log_s, r_hi, q_hi, r_lo = (values[k] for k in ("log_f", "log_s", "r_hi", "q_hi", "r_lo"))
    scale_f, rel_f, scale_s, rel_s, ratio = (
        values[k] for k in ("scale_f", "rel_f", "scale_s", "rel_s", "ratio")
    )
    we, wpe, w_phi, sum_f, sum_s = (values[k] for k in ("we", "wpe", "w_phi", "sum_f", "sum_s"))
    p = g["p_all"][:_N_QUAD]
    x = p - c

    # ---- Partial derivatives, narrow: means over the nodes (d_k = b - A a_k,
    # a_k = (1 + u_k) / 2), weighted by each node's share of f or S, of the
    # logarithmic derivatives at fixed distance d:
    #   d log g / dd = 1/d - x/s,  d log g / dv = x s,
    #   d log g / dtau = (x**2 / 2 - 3/2) / tau + v x / s,
    #   dS_W / dd = (2/s) phi(x) (Q + p R)(p + c),  dS_W / dv = -2 d phi(x) R(p + c),
    #   dS_W / dtau = -g = -(p / tau) phi(x);
    # phi(x_k) relative to the scale of S (w_phi), so no tiny factor is formed.
    # The shares are w_k p_k e_k / sum_f and w_k S_W(x_k) / sum_s; with
    # p_k = d_k / s, the f-share of 1/d_k is w_k e_k / (s sum_f).
    a_k = 0.5 * (1.0 + nodes)
    inv_f = 1.0 / sum_f
    inv_s = 1.0 / s
    inv_tau = inv_s * inv_s
    dg_dd = we * (1.0 - p * x) * inv_s
    n_f = (
        _sum0(wpe * ((0.5 * x * x - 1.5) * inv_tau + v * x * inv_s)) * inv_f,
        -_sum0(a_k * dg_dd) * inv_f,
        _sum0(dg_dd) * inv_f,
        _sum0(wpe * x) * (s * inv_f),
    )
    q_n, r_n = q_hi, r_hi
    inv_sum_s = 1.0 / sum_s
    dsf_dd = w_phi * (q_n + p * r_n) * (2.0 * inv_s)
    n_s = (
        -_sum0(w_phi * p) * (inv_tau * inv_sum_s),
        -_sum0(a_k * dsf_dd) * inv_sum_s,
        _sum0(dsf_dd) * inv_sum_s,
        -_sum0(w_phi * p * r_n) * (2.0 * s * inv_sum_s),
    )

    # ---- Partial derivatives, wide: from the values at the two ends,
    #   f_b = (g(b) - g(b - A)) / A,  f_A = (g(b - A) - f) / A,  f_v = J / A with
    #   J = int x (x + c) phi = [Phi - (x + c) phi]_alpha^beta, and
    #   tau f_tau = -f/2 - (b g(b) - (b - A) g(b - A)) / (2A) + v f_v / 2
    #   (g depends on d, tau, v through d/sqrt(tau), v sqrt(tau) and 1/tau);
    #   S_b = (S_W(b) - S_W(b - A)) / A,  S_A = (S_W(b - A) - S) / A,  S_tau = -f,
    #   v S_v = -2 tau f + (b S_W(b) - (b - A) S_W(b - A)) / A - S
    #         = -2 tau f + (b (S_W(b) - S) - (b - A) (S_W(b - A) - S)) / A.
    # Everything relative to the scales of _wide: exp(scale_f) for f, exp(scale_s)
    # for S, so no ratio of two tiny numbers is formed.
    right = alpha >= 0.0
    left = beta <= 0.0
    centre = ~right & ~left
    e_a = jnp.where(right, 1.0, jnp.where(left, ratio, _phi(alpha)))  # phi(alpha) / e^scale_f
    e_b = jnp.where(right, ratio, jnp.where(left, 1.0, _phi(beta)))
    i_f = jnp.exp(rel_f + log_A + 0.5 * log_tau)  # I_f / e^scale_f
    r_a, r_b = r_lo[0], r_lo[1]
    phi_diff = jnp.where(left, e_b * r_b - e_a * r_a, 1.0 - e_b * r_b - e_a * r_a)
    phi_diff = jnp.where(right, e_a * r_a - e_b * r_b, phi_diff)
    w_fv = s * (phi_diff - p_b * e_b + p_a * e_a) / i_f
    w_f = (
        (-0.5 - 0.5 * (p_b * p_b * e_b - p_a * p_a * e_a) / i_f + 0.5 * v * w_fv) / tau,
        p_a * e_a / (s * i_f) - 1.0 / A_w,
        (p_b * e_b - p_a * e_a) / (s * i_f),
        w_fv,
    )
    # log S_W - scale_s at the ends: scale_s is log phi(beta) where beta <= 0, else 0.
    log_phi_a = jnp.where(left, jnp.log(ratio), jnp.where(centre, _log_phi(alpha), 0.0))
    log_sw_rel = values["log_sw_rel"]
    log_sw_a = jnp.where(values["below_a"], log_phi_a, 0.0) + log_sw_rel[0]
    log_sw_b = log_sw_rel[1]
    # S_W / S - 1 at the ends, accurate also where both are close to 1.
    excess_a = jnp.expm1(log_sw_a - rel_s)
    excess_b = jnp.expm1(log_sw_b - rel_s)
    hazard = jnp.exp(scale_f - scale_s + rel_f - rel_s)
    w_s = (
        -hazard,
        excess_a / A_w,
        (excess_b - excess_a) / A_w,
        (-2.0 * tau * hazard + (b * excess_b - (b - A) * excess_a) / A_w) / v,
    )
    partials_f = tuple(jnp.where(wide, w, n) for w, n in zip(w_f, n_f, strict=True))
    partials_s = tuple(jnp.where(wide, w, n) for w, n in zip(w_s, n_s, strict=True))
    return log_f, log_s, partials_f, partials_s


def _sanitised(
    rt: jax.Array, response: jax.Array, A: jax.Array, b: jax.Array, v: jax.Array, t: jax.Array
) -> tuple[jax.Array, ...]:
    """``(valid, winner, tau, A, b, v)``, invalid trials moved to a harmless point.

    ``v`` is stacked on axis 0 (one row per accumulator), as are ``winner`` and the
    returned ``v``; ``tau, A, b`` get a leading axis of length 1.
    """
    n = v.shape[0]
    tau = rt - t
    codes = jnp.arange(n, dtype=rt.dtype).reshape((n,) + (1,) * rt.ndim)
    winner = response[None] == codes
    valid = (
        (tau > 0)
        & jnp.isfinite(tau)
        & (A >= 0)
        & (b > A)
        & (t >= 0)
        & jnp.isfinite(b)
        & functools.reduce(jnp.logical_and, [(x > 0) & jnp.isfinite(x) for x in v])
        & functools.reduce(jnp.logical_or, list(winner))
    )
    # Double where: invalid trials are evaluated at a harmless point, then replaced.
    tau_s = jnp.where(valid, tau, _SAFE_TAU)[None]
    A_s = jnp.where(valid, A, _SAFE_A)[None]
    b_s = jnp.where(valid, b, _SAFE_B)[None]
    v_s = jnp.where(valid[None], v, _SAFE_V)
    return valid, winner, tau_s, A_s, b_s, v_s


@jax.custom_jvp
def _kernel(
    rt: jax.Array, response: jax.Array, A: jax.Array, b: jax.Array, v: jax.Array, t: jax.Array
) -> jax.Array:
    """Log density of broadcast arrays, ``v`` stacked on axis 0.

    Differentiated with the partial derivatives of :func:`_accumulator_terms`
    (closed forms and quadratures of the same kind as the values) rather than
    through the computation, all computed in one pass (:func:`computed_once`).
    """
    valid, winner, tau, A, b, v = _sanitised(rt, response, A, b, v, t)
    log_f, log_s = _accumulator_terms(tau, A, b, v, with_partials=False)
    log_p = _sum0(jnp.where(winner, log_f, log_s))
    return jnp.where(valid, log_p, -jnp.inf)


def _value_and_partials(
    rt: jax.Array, response: jax.Array, A: jax.Array, b: jax.Array, v: jax.Array, t: jax.Array
) -> tuple[jax.Array, ...]:
    """Log density and its partial derivatives in ``tau, A, b, v`` (zero if invalid)."""
    valid, winner, tau, A, b, v = _sanitised(rt, response, A, b, v, t)
    log_f, log_s, partials_f, partials_s = _accumulator_terms(tau, A, b, v, with_partials=True)
    value = jnp.where(valid, _sum0(jnp.where(winner, log_f, log_s)), -jnp.inf)
    p_tau, p_A, p_b, p_v = (
        jnp.where(valid[None], jnp.where(winner, pf, ps), 0.0)
        for pf, ps in zip(partials_f, partials_s, strict=True)
    )
    return value, _sum0(p_tau), _sum0(p_A), _sum0(p_b), p_v


@_kernel.defjvp
def _kernel_jvp(
    primals: tuple[jax.Array, ...], tangents: tuple[jax.Array, ...]
) -> tuple[jax.Array, jax.Array]:
    # The guard behind a barrier: response times closed over as constants would let
    # XLA fold the predicate and the ``cond`` with it.
    guard = jax.lax.optimization_barrier(primals[0])
    value, p_tau, p_A, p_b, p_v = computed_once(_value_and_partials, guard, *primals)
    d_rt, _, d_A, d_b, d_v, d_t = tangents
    tangent = p_tau * (d_rt - d_t) + p_A * d_A + p_b * d_b + _sum0(p_v * d_v)
    return value, tangent


def racing_diffusion_logpdf(
    rt: ArrayLike,
    response: ArrayLike,
    A: ArrayLike,
    b: ArrayLike,
    v: Sequence[ArrayLike],
    t: ArrayLike,
) -> jax.Array:
    r"""Log density of the racing diffusion model (race of Wald accumulators).

    The density of response ``i`` at ``rt`` is ``f_i(tau) prod_{j != i} S_j(tau)``,
    ``tau = rt - t``, with ``f`` and ``S`` the density and survival function of the
    first-passage time of an accumulator whose distance to the threshold is uniform
    on ``(b - A, b)``; the formulas and the numerical method are in the module
    docstring.

    Parameters
    ----------
    rt
        Response time in seconds; log density ``-inf`` for ``rt <= t``.
    response
        The winning accumulator, a code ``0 .. n-1`` (integer-valued floats).
    A
        Width of the uniform start-point distribution, ``0 <= A < b``.
    b
        Threshold, ``b > A``.
    v
        Sequence of the ``n >= 2`` drift rates ``v0, v1, ...``, each ``> 0``.
    t
        Non-decision time in seconds, ``t >= 0``.

    All arrays broadcast together; floating dtypes are preserved (float32 stays
    float32).

    Returns
    -------
    jax.Array
        Log density over (rt, response), broadcast shape; ``-inf`` with zero
        gradient for ``rt <= t``, for responses that are not codes ``0 .. n-1`` and
        outside the parameter space (``A < 0``, ``b <= A``, any ``v <= 0``,
        ``t < 0``, non-finite values).

    Raises
    ------
    ValueError
        If fewer than two drift rates are given.

    References
    ----------
    Tillman, G., Van Zandt, T., & Logan, G. D. (2020). Sequential sampling models
    without random between-trial variability: the racing diffusion model of speeded
    decision making. Psychonomic Bulletin & Review, 27, 911-936.

    Examples
    --------
    >>> import jax
    >>> import jax.numpy as jnp
    >>> from hierax.likelihoods.racing_diffusion import racing_diffusion_logpdf
    >>> logpdf = jax.jit(racing_diffusion_logpdf)  # eager dispatch is slow
    >>> rt = jnp.array([0.6, 0.9, 1.4, 0.1])
    >>> response = jnp.array([0.0, 1.0, 2.0, 0.0])
    >>> logpdf(rt, response, 0.5, 1.5, (2.0, 1.5, 1.0), 0.2)
    Array([-0.037..., -1.832..., -5.071...,   -inf], dtype=float...)

    With ``A = 0`` it is the plain Wald race; the gradient is finite:

    >>> grad = jax.jit(jax.grad(racing_diffusion_logpdf, argnums=(2, 3, 4, 5)))
    >>> gA, gb, gv, gt = grad(0.8, 1.0, 0.0, 1.5, (2.0, 1.5), 0.2)
    >>> bool(jnp.isfinite(jnp.array([gA, gb, *gv, gt])).all())
    True
    """
    v = tuple(jnp.asarray(x) if isinstance(x, list | tuple) else x for x in v)
    n = len(v)
    if n < 2:
        raise ValueError(f"the racing diffusion model needs at least 2 drift rates, got {n}.")
    rt, A, b, t, *v = _as_float_arrays(rt, A, b, t, *v)
    response = jnp.asarray(response)
    shape = jnp.broadcast_shapes(*(jnp.shape(x) for x in (rt, response, A, b, t, *v)))
    rt, response, A, b, t = (jnp.broadcast_to(x, shape) for x in (rt, response, A, b, t))
    v = jnp.stack([jnp.broadcast_to(x, shape) for x in v])
    return _kernel(rt, response, A, b, v, t)
