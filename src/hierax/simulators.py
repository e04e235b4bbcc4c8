"""Exact simulation of the drift diffusion model and its variability variants.

Parameterisation (HSSM's, inherited from HDDM)
----------------------------------------------
A Wiener process with drift ``v`` (positive towards the upper boundary) and unit
diffusion coefficient starts at ``2a * z`` and is absorbed at ``0`` (response
``-1``) or at ``2a`` (response ``1``): ``a`` is *half* the boundary separation
and ``z`` the relative start point in ``(0, 1)``. The response time is
``rt = t + decision time``. ``ddm_sdv`` draws the drift of every trial from
``Normal(v, sv)``; ``full_ddm`` additionally draws the relative start point from
``Uniform(z - sz/2, z + sz/2)`` and the non-decision time from
``Uniform(t - st/2, t + st/2)``.

Method
------
Every draw is exact up to floating-point precision; there is no time step.

1. *Boundary.* With boundary separation ``A = 2a`` and drift ``mu``
   towards a boundary at distance ``w A`` from the start, the probability of
   being absorbed there is (Cox & Miller, 1965)
   ``P(mu, w) = (1 - exp(-2 mu A (1 - w))) / (1 - exp(-2 mu A))``; the probability
   of the upper boundary follows by symmetry. It is evaluated with ``expm1`` in
   the form ``(1 - w) e(2 mu A (1 - w)) / e(2 mu A)``, ``e(x) = (1 - exp(-x)) / x``,
   which is finite and accurate for every drift including zero.
2. *Decision time given the boundary.* The first-passage density at a boundary
   is ``exp(-v^2 s / 2)`` times a factor that depends on the drift only through
   its sign (Girsanov), so given the boundary the decision time depends on
   ``|v|`` only. In time units of ``A^2`` it has drift ``m = |v| A`` towards
   that boundary, start distance ``w`` (``z`` for the lower, ``1 - z`` for the
   upper boundary) and a cumulative distribution function (CDF) with two
   convergent series (Navarro & Fuss, 2009; Blurton, Kesselmeier & Gondan,
   2012):

   * small time, method of images with ``c_k = w + 2k``:
     ``F(u) = e^{m w} sum_k sign(c_k) [e^{-m|c_k|} Phi((m u - |c_k|)/sqrt(u))
     + e^{m|c_k|} Phi(-(|c_k| + m u)/sqrt(u))]``;
   * large time, eigenfunction expansion with ``lam_k = (m^2 + k^2 pi^2)/2``:
     ``P - F(u) = pi e^{m w} sum_{k>=1} k sin(k pi w) e^{-lam_k u} / lam_k``.

   The first is used below ``u = 1/2``, the second above; with the term
   counts below the neglected terms are below ``1e-20`` relative to the
   boundary probability on either side, for every drift (the bounds are in the
   comments of the constants). The decision time is the inverse CDF of a
   uniform draw, found by a safeguarded Newton iteration on ``log u`` inside a
   bracket that provably contains the root; the equation is solved for the log
   CDF in the lower half and for the log survival function in the upper half,
   so both tails are resolved to relative precision.

Why inversion and not rejection or Euler steps: an Euler scheme is biased at
the boundaries; exact rejection samplers (e.g. Drugowitsch, 2016) need a
data-dependent number of proposals, which under ``vmap`` costs the worst
trial's count for every trial. Inversion does a fixed amount of work per draw,
so it is one branch-free ``fori_loop``: it jits, vectorises and runs on a GPU as
it does on a CPU, and one uniform number per stage makes draws reproducible.

References
----------
Blurton, S. P., Kesselmeier, M., & Gondan, M. (2012). Fast and accurate
calculations for cumulative first-passage time distributions in Wiener
diffusion models. *Journal of Mathematical Psychology*, 56(6), 470-475.

Navarro, D. J., & Fuss, I. G. (2009). Fast and accurate calculations for
first-passage times in Wiener diffusion models. *Journal of Mathematical
Psychology*, 53(4), 222-230.

Examples
--------
>>> from hierax.simulators import simulate_data
>>> data = simulate_data("ddm", {"v": 1.0, "a": 1.0, "z": 0.5, "t": 0.3}, size=4, seed=1)
>>> list(data.columns), len(data)
(['rt', 'response'], 4)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
from jax.scipy.special import log_ndtr
from numpy.typing import ArrayLike

from hierax._config import get_floatX, precision

__all__ = ["SIMULATOR_PARAMS", "sample_ddm", "simulate_data"]

SIMULATOR_PARAMS: dict[str, tuple[str, ...]] = {
    "ddm": ("v", "a", "z", "t"),
    "ddm_sdv": ("v", "a", "z", "t", "sv"),
    "full_ddm": ("v", "a", "z", "t", "sv", "sz", "st"),
}
"""Parameter names of every model :func:`simulate_data` knows, in order."""

# Normalised time u = decision time / A^2 at which the small-time series hands
# over to the large-time series.
_SWITCH_TIME = 0.3

# Small-time images c_k = w + 2k, k = -K..K. A neglected image has
# |c| >= 2(K+1) - w, and its term is at most exp(-(c^2 - w^2) / (2u)) for every
# drift (the maximum over m is at m = w / u). For K = 2 that is
# exp(-24 / (2u)) <= exp(-40) = 4e-18 for u < 0.3, negligible against the
# boundary probability, which is at least 1 - w.
_SMALL_TIME_IMAGES = 2

# Large-time terms k = 1..K. A neglected term is at most
# k exp(w^2 / (2u) - k^2 pi^2 u / 2) / lam_k for every drift; for k = 5 at
# u = 0.3 that is below exp(-37) = 1e-16 times 5 / lam_5 = 0.04.
_LARGE_TIME_TERMS = 4

# The bracket of the Newton iteration runs over normalised times whose
# conditional CDF (lower end) or survival function (upper end) is below
# exp(-_TAIL_LOG_PROB) = 4e-18, beneath the smallest uniform number drawn
# (2**-53 ~ 1.1e-16 in float64; 2**-24 in float32).
_TAIL_LOG_PROB = 40.0

# Newton-bisection steps on log u; see _sample_conditional_time.
_NEWTON_STEPS = 20

# Above these arguments erfcx switches from exp(x^2) erfc(x) to its
# asymptotic series: erfc(x) is still a normal number there (erfc(25) ~ 1e-273,
# erfc(9) ~ 4e-37), and the first neglected series term is below the precision
# (17!!/(2x^2)^9 ~ 5e-21 at x = 25; 11!!/(2x^2)^6 ~ 6e-10 at x = 9, float32).
_ERFCX_SWITCH = {"float64": (25.0, 9), "float32": (9.0, 6)}

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


# --------------------------------------------------------------------------
# Boundary probability
# --------------------------------------------------------------------------


def _log_expm1_ratio(x: jax.Array) -> jax.Array:
    """``log((1 - exp(-x)) / x)`` for ``x >= 0``, equal to 0 at ``x = 0``."""
    # Below this x the two-term Taylor series -x/2 + x^2/24 is exact to
    # O(x^4), i.e. to rounding in double precision.
    small = x < 1e-4
    safe = jnp.where(small, 1.0, x)
    exact = jnp.log(-jnp.expm1(-safe)) - jnp.log(safe)
    return jnp.where(small, -x / 2 + x * x / 24, exact)


def _log_prob_toward(m: jax.Array, w: jax.Array) -> jax.Array:
    """Log probability of absorption at a boundary, normalised units.

    Unit boundary separation, drift ``m >= 0`` towards the boundary at distance
    ``w`` from the start (the other boundary is at distance ``1 - w``).
    The value lies in ``[log(1 - w), 0]``.
    """
    return (
        jnp.log1p(-w) + _log_expm1_ratio(2.0 * m * (1.0 - w)) - _log_expm1_ratio(2.0 * m)
    )


def _prob_upper(v: jax.Array, a: jax.Array, z: jax.Array) -> jax.Array:
    """Probability of the upper boundary for drift ``v``, half-separation ``a``, start ``z``."""
    m = jnp.abs(v) * 2.0 * a
    toward_upper = jnp.exp(_log_prob_toward(m, 1.0 - z))
    away_from_upper = -jnp.expm1(_log_prob_toward(m, z))
    return jnp.where(v >= 0, toward_upper, away_from_upper)


# --------------------------------------------------------------------------
# Decision time given the boundary
# --------------------------------------------------------------------------


def _erfcx(x: jax.Array) -> jax.Array:
    """Scaled complementary error function ``exp(x^2) erfc(x)`` for ``x >= 0``."""
    switch, n_terms = _ERFCX_SWITCH[jnp.dtype(x.dtype).name]
    large = x > switch
    direct = jnp.exp(jnp.square(jnp.where(large, 0.0, x))) * jax.lax.erfc(jnp.where(large, 0.0, x))
    # Asymptotic series 1/(x sqrt(pi)) sum_n (-1)^n (2n-1)!! / (2x^2)^n, Horner form.
    inv = 1.0 / (2.0 * jnp.square(jnp.where(large, x, 1.0)))
    series = jnp.ones_like(x)
    for n in range(n_terms - 1, 0, -1):
        series = 1.0 - (2 * n - 1) * inv * series
    asymptotic = series / (jnp.where(large, x, 1.0) * math.sqrt(math.pi))
    return jnp.where(large, asymptotic, direct)


def _conditional_time_cdf(m, w):
    """The conditional decision-time distribution as a function of normalised time.

    Normalised units: unit boundary separation, drift ``m >= 0`` towards the
    absorbing boundary at distance ``w`` in ``(0, 1)``. Returns the log
    probability of that boundary and a function ``u -> (log_cdf, log_sf,
    log_pdf)`` of the distribution conditional on it (arrays of the shape of
    ``m`` and ``w``); the parts that do not depend on ``u`` are computed once.
    """
    dtype = m.dtype
    log_p = _log_prob_toward(m, w)
    p = jnp.exp(log_p)
    mm, ww = m[..., None], w[..., None]
    # Small-time series: images c_k = w + 2k.
    c = ww + 2.0 * jnp.arange(-_SMALL_TIME_IMAGES, _SMALL_TIME_IMAGES + 1, dtype=dtype)
    abs_c = jnp.abs(c)
    sign_c = jnp.sign(c)
    drift_decay = -mm * (abs_c - ww)  # <= 0: log e^{m w - m |c|}
    # Large-time series.
    j = jnp.arange(1, _LARGE_TIME_TERMS + 1, dtype=dtype)
    lam = 0.5 * (mm * mm + (j * jnp.pi) ** 2)
    amplitude = jnp.pi * j * jnp.sin(j * jnp.pi * ww)

    def evaluate(u):
        uu = u[..., None]
        root_2u = jnp.sqrt(2.0 * uu)
        s = (abs_c - mm * uu) / root_2u
        # e^{m w} times the Gaussian kernel of image c: exp(m(w - |c|) - s^2) <= 1.
        kernel = jnp.exp(drift_decay - s * s)
        # e^{m w} [e^{-m|c|} Phi(-s sqrt2) + e^{m|c|} Phi(-(|c| + m u)/sqrt(u))],
        # each Phi written with erfcx so that no factor overflows.
        near = jnp.where(
            s >= 0,
            0.5 * _erfcx(jnp.abs(s)) * kernel,
            jnp.exp(drift_decay) - 0.5 * _erfcx(jnp.abs(s)) * kernel,
        )
        far = 0.5 * _erfcx((abs_c + mm * uu) / root_2u) * kernel
        cdf_small = jnp.clip(jnp.sum(sign_c * (near + far), axis=-1) / p, 0.0, 1.0)
        pdf_small = jnp.sum(c * kernel, axis=-1) / (p * jnp.sqrt(2.0 * jnp.pi * u**3))

        weight = amplitude * jnp.exp(mm * ww - lam * uu)
        sf_large = jnp.clip(jnp.sum(weight / lam, axis=-1) / p, 0.0, 1.0)
        pdf_large = jnp.sum(weight, axis=-1) / p

        small = u < _SWITCH_TIME
        log_cdf = jnp.where(small, jnp.log(cdf_small), jnp.log1p(-sf_large))
        log_sf = jnp.where(small, jnp.log1p(-cdf_small), jnp.log(sf_large))
        log_pdf = jnp.log(jnp.where(small, pdf_small, pdf_large))
        return log_cdf, log_sf, log_pdf

    return log_p, evaluate


def _time_bracket(m, w, log_p):
    """Normalised times below/above which the conditional CDF/survival is < exp(-40)."""
    # Lower end: C(u) <= exp(-(w - m u)^2 / (2u)) / P for m u < w; solve
    # (w - m u)^2 = 2 D u for the smaller root, D = 40 - log P.
    d = _TAIL_LOG_PROB - log_p
    lower = w * w / ((m * w + d) + jnp.sqrt(d * d + 2.0 * m * w * d))
    # Upper end (u >= 1/2): S(u) / P <= 2 pi e^{m w - lam_1 u} / (lam_1 P).
    lam1 = 0.5 * (m * m + jnp.pi**2)
    upper = (jnp.log(2.0 * jnp.pi / lam1) + m * w - log_p + _TAIL_LOG_PROB) / lam1
    return lower, jnp.maximum(upper, _SWITCH_TIME)


def _sample_conditional_time(r, m, w):
    """Inverse conditional CDF at ``r`` in (0, 1): normalised decision time.

    Solves ``log C(u) = log r`` for ``r <= 1/2`` and ``log S(u) = log(1 - r)``
    otherwise, by Newton steps on ``x = log u`` that fall back to bisection
    whenever a step would leave the current bracket.
    """
    log_p, evaluate = _conditional_time_cdf(m, w)
    u_lo, u_hi = _time_bracket(m, w, log_p)
    upper_half = r > 0.5
    target = jnp.where(upper_half, jnp.log1p(-r), jnp.log(r))

    def step(_, state):
        x, lo, hi = state
        log_cdf, log_sf, log_pdf = evaluate(jnp.exp(x))
        # g is increasing in x in both halves.
        g = jnp.where(upper_half, target - log_sf, log_cdf - target)
        slope = jnp.exp(log_pdf + x - jnp.where(upper_half, log_sf, log_cdf))
        lo = jnp.where(g <= 0, x, lo)
        hi = jnp.where(g <= 0, hi, x)
        newton = x - g / slope
        inside = (newton >= lo) & (newton <= hi)
        return jnp.where(inside, newton, 0.5 * (lo + hi)), lo, hi

    lo, hi = jnp.log(u_lo), jnp.log(u_hi)
    x, _, _ = jax.lax.fori_loop(0, _NEWTON_STEPS, step, (0.5 * (lo + hi), lo, hi))
    return jnp.exp(x)


# --------------------------------------------------------------------------
# Public sampler
# --------------------------------------------------------------------------


@partial(jax.jit, static_argnames=("shape",))
def sample_ddm(
    key: jax.Array,
    v: ArrayLike,
    a: ArrayLike,
    z: ArrayLike,
    t: ArrayLike,
    sv: ArrayLike = 0.0,
    sz: ArrayLike = 0.0,
    st: ArrayLike = 0.0,
    shape: tuple[int, ...] | None = None,
) -> tuple[jax.Array, jax.Array]:
    """Draw response times and responses of the (full) drift diffusion model.

    Exact up to floating-point precision (see the module docstring for the
    method). Pure JAX: jittable (``shape`` is static), vmappable,
    differentiable nowhere (it is a sampler).

    Parameters
    ----------
    key
        A JAX random key.
    v
        Drift rate, real; positive values favour the upper boundary.
    a
        Half the boundary separation, ``> 0``.
    z
        Relative start point, in ``(0, 1)``.
    t
        Non-decision time, ``>= 0``.
    sv
        Standard deviation of the trial-to-trial drift, ``>= 0``.
    sz
        Range of the uniform trial-to-trial start point, ``0 <= sz``,
        ``z - sz/2 > 0`` and ``z + sz/2 < 1``.
    st
        Range of the uniform trial-to-trial non-decision time, ``0 <= st <= 2t``.
    shape
        Shape of the output; the parameters must broadcast to it. ``None``
        (default) uses the broadcast shape of the parameters.

    Returns
    -------
    rt : jax.Array
        Response times, of shape ``shape`` and the parameters' floating dtype.
        ``NaN`` where the parameters are outside their domain.
    response : jax.Array
        ``1.0`` (upper boundary) or ``-1.0`` (lower boundary), same shape and dtype.

    Examples
    --------
    >>> import jax
    >>> rt, response = sample_ddm(jax.random.key(0), 0.5, 1.0, 0.5, 0.3, shape=(3,))
    >>> rt.shape, bool((rt > 0.3).all()), sorted(set(response.tolist()) - {-1.0, 1.0})
    ((3,), True, [])
    """
    params = (v, a, z, t, sv, sz, st)
    dtype = jnp.result_type(*params, float)
    if not jnp.issubdtype(dtype, jnp.floating):
        dtype = jnp.result_type(float)
    if shape is None:
        shape = jnp.broadcast_shapes(*(jnp.shape(p) for p in params))
    v, a, z, t, sv, sz, st = (jnp.broadcast_to(jnp.asarray(p, dtype), shape) for p in params)

    k_v, k_z, k_t, k_choice, k_time = jax.random.split(key, 5)
    tiny = jnp.finfo(dtype).tiny
    v_trial = v + sv * jax.random.normal(k_v, shape, dtype)
    z_trial = z + sz * (jax.random.uniform(k_z, shape, dtype) - 0.5)
    t_trial = t + st * (jax.random.uniform(k_t, shape, dtype) - 0.5)

    upper = jax.random.uniform(k_choice, shape, dtype) < _prob_upper(v_trial, a, z_trial)
    boundary_separation = 2.0 * a
    m = jnp.abs(v_trial) * boundary_separation
    w = jnp.where(upper, 1.0 - z_trial, z_trial)
    r = jax.random.uniform(k_time, shape, dtype, minval=tiny, maxval=1.0)
    decision = boundary_separation**2 * _sample_conditional_time(r, m, w)

    valid = (
        (a > 0)
        & (z - sz / 2 > 0)
        & (z + sz / 2 < 1)
        & (t - st / 2 >= 0)
        & (sv >= 0)
        & (sz >= 0)
        & (st >= 0)
        & jnp.isfinite(v)
    )
    rt = jnp.where(valid, t_trial + decision, jnp.nan)
    response = jnp.where(upper, 1.0, -1.0).astype(dtype)
    return rt, response
