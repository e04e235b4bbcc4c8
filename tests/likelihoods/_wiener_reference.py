"""Independent high-precision reference for the Wiener first-passage-time density.

Both Navarro & Fuss (2009) series are summed with mpmath at 40 significant digits
until the terms fall below 1e-45 of the running sum; nothing is shared with the code
under test. Used by the likelihood tests only.
"""

from __future__ import annotations

import functools

import mpmath as mp

_DPS = 40
_TERM_TOL = mp.mpf(10) ** -45
_MAX_TERMS = 100_000


def _small_time(u: mp.mpf, w: mp.mpf) -> mp.mpf:
    total = w * mp.exp(-(w**2) / (2 * u))
    k = 1
    while True:
        pair = (w + 2 * k) * mp.exp(-((w + 2 * k) ** 2) / (2 * u)) + (w - 2 * k) * mp.exp(
            -((w - 2 * k) ** 2) / (2 * u)
        )
        total += pair
        if k > 2 and abs(pair) <= _TERM_TOL * abs(total) or k > _MAX_TERMS:
            break
        k += 1
    return total / mp.sqrt(2 * mp.pi * u**3)


def _large_time(u: mp.mpf, w: mp.mpf) -> mp.mpf:
    total = mp.mpf(0)
    k = 1
    while True:
        term = k * mp.exp(-(k**2) * mp.pi**2 * u / 2) * mp.sin(k * mp.pi * w)
        total += term
        if k > 2 and abs(k * mp.exp(-(k**2) * mp.pi**2 * u / 2)) <= _TERM_TOL * abs(total):
            break
        if k > _MAX_TERMS:
            break
        k += 1
    return mp.pi * total


@functools.cache
def standard_density(u: float, w: float, series: str = "auto") -> mp.mpf:
    """g(u | w) of Navarro & Fuss at 40 digits; ``series`` forces one expansion."""
    with mp.workdps(_DPS):
        u_, w_ = mp.mpf(u), mp.mpf(w)
        if series == "small" or (series == "auto" and u < 1):
            return +_small_time(u_, w_)
        return +_large_time(u_, w_)


@functools.cache
def ddm_logpdf_ref(rt: float, response: int, v: float, a: float, z: float, t: float) -> float:
    """log density in HSSM's parameterisation (A = 2a); float inputs are taken exactly."""
    with mp.workdps(_DPS):
        v_, A, w, tau = mp.mpf(v), 2 * mp.mpf(a), mp.mpf(z), mp.mpf(rt) - mp.mpf(t)
        if response > 0:
            v_, w = -v_, 1 - w
        u = tau / A**2
        g = +(_small_time(u, w) if u < 1 else _large_time(u, w))
        return float(-2 * mp.log(A) - v_ * A * w - v_**2 * tau / 2 + mp.log(g))


def prob_upper_ref(v: float, a: float, z: float) -> float:
    with mp.workdps(_DPS):
        v_, A, w = mp.mpf(v), 2 * mp.mpf(a), mp.mpf(z)
        if v_ == 0:
            return float(w)
        return float(mp.expm1(-2 * v_ * A * w) / mp.expm1(-2 * v_ * A))
