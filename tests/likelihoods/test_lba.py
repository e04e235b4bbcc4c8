"""lba_logpdf against 50-digit integration of the defining integrals; sample_lba against it.

The reference never uses the closed form of the code under test: the single-accumulator
density and survival are integrated numerically (mpmath, 50 digits) over the uniform
start point ``k`` of their definitions. With ``T = (b - k) / d``, ``d ~ Normal(v, s)``:

* ``f(tau) = (1/A) int_0^A (b - k)/tau^2 * phi_s((b - k)/tau - v) dk`` (change of
  variables from the drift ``d = (b - k)/tau`` to the time), and
* ``1 - F(tau) = (1/A) int_0^A P(d < (b - k)/tau) dk``.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest
from scipy import integrate, stats

from hierax.likelihoods.lba import lba_logpdf
from hierax.simulators.lba import sample_lba

_logpdf = jax.jit(lba_logpdf)

# rt, response, A, b, v, t, s: 2, 3 and 4 accumulators, all with t > 0; negative drifts
# (of the winner, of losers, of all but one), small s, A = 0.002 b, A = 0.9 b, short
# (tau = 0.06) and long (tau = 7.7) decision times.
POINTS = [
    (0.75, 0, 0.5, 1.0, (1.5, 0.8), 0.2, 0.3),
    (0.45, 1, 0.3, 0.8, (2.0, 1.1), 0.3, 0.05),
    (1.9, 1, 0.4, 1.2, (0.4, -0.6), 0.1, 0.5),
    (0.26, 0, 0.5, 1.0, (5.0, 4.0), 0.2, 0.5),
    (0.62, 2, 0.2, 0.5, (1.0, 0.5, 1.2), 0.25, 0.2),
    (3.5, 0, 0.7, 1.5, (-0.3, -0.5, 0.1), 0.15, 0.4),
    (0.33, 3, 0.002, 1.0, (3.0, 2.5, 2.0, 4.0), 0.05, 0.1),
    (8.0, 1, 0.9, 1.0, (0.2, 0.1, -0.2, 0.05), 0.3, 0.08),
]
# The kernel's spec: 1e-10 absolute in log density in float64. Measured here: <= 1.1e-14
# except 1.1e-13 at log p = -1000 (1e-16 relative); < 5e-14 relative to max(1, |log p|)
# over 2500 random points (tau 1e-6..1e3, A/b 1e-6..1-1e-9, |v| <= 5, s 0.01..3).
TOL64 = 1e-10


@functools.cache
def _reference_accumulator(tau: float, A: float, b: float, v: float, s: float):
    """log f(tau) and log(1 - F(tau)) by 50-digit quadrature over the start point."""
    with mp.workdps(50):
        tau, A, b, v, s = (mp.mpf(x) for x in (tau, A, b, v, s))

        def dens(k):
            drift = (b - k) / tau
            return drift / tau * mp.npdf(drift, v, s)

        def surv(k):
            return mp.ncdf((b - k) / tau, v, s)

        # Both integrands are Gaussian in the standardised drift x(k) = ((b - k)/tau - v)/s,
        # which is linear in k: split where x^2/2 has risen by 4, 8, ... above its minimum
        # x_0^2/2 on the interval (so that Gauss-Legendre sees smooth pieces), and drop the
        # Gaussian tails beyond a rise of 130 (relative mass < e^-130, below 50 digits):
        # both tails for the density, only the lower one for the survival (Phi(x) -> 1).
        def start(x):
            return b - tau * (v + s * x)

        x_1, x_2 = ((b - A) / tau - v) / s, (b / tau - v) / s
        x_0 = min(max(mp.mpf(0), x_1), x_2)
        reach = mp.sqrt(x_0**2 + 2 * 130)
        lo, hi = max(x_1, -reach), min(x_2, reach)
        cuts = {lo, hi, x_0}
        for rise in range(4, 130, 4):
            r = mp.sqrt(x_0**2 + 2 * rise)
            cuts |= {x for x in (r, -r) if lo < x < hi}
        # mpmath's quad stops at an absolute error of 10^-dps: scale both integrands to O(1).
        scale_f, scale_S = mp.exp(x_0**2 / 2), 1 / mp.ncdf(x_2)
        nodes = sorted(start(x) for x in cuts)  # descending x = ascending start point
        f, f_err = mp.quad(lambda k: scale_f * dens(k), nodes, method="gauss-legendre", error=True)
        nodes = sorted(start(x) for x in cuts | {x_2})
        S, S_err = mp.quad(lambda k: scale_S * surv(k), nodes, method="gauss-legendre", error=True)
        assert f_err < mp.mpf(10) ** -30 * f and S_err < mp.mpf(10) ** -30 * S
        f, S = f / scale_f, S / scale_S
        return mp.log(f / A), mp.log(S / A)


def _reference(rt, response, A, b, v, t, s) -> float:
    with mp.workdps(50):
        total = mp.mpf(0)
        for j, v_j in enumerate(v):
            log_f, log_S = _reference_accumulator(rt - t, A, b, v_j, s)
            total += log_f if j == response else log_S
        all_negative = mp.fprod(mp.ncdf(-mp.mpf(v_j) / s) for v_j in v)
        return float(total - mp.log(1 - all_negative))


@pytest.mark.parametrize("point", POINTS)
def test_matches_defining_integral(point):
    assert float(_logpdf(*point)) == pytest.approx(_reference(*point), abs=TOL64, rel=0)


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------

# A, b, v, t, s. The second has P(all drifts negative) = 0.076 (so that the
# normaliser matters) and a 1/tau^2 tail of drifts near 0; it is also simulated below.
NORMALISED = [
    (0.5, 1.0, (1.5, 0.8), 0.25, 0.3),
    (0.5, 1.0, (0.3, 0.1, -0.2), 0.25, 0.5),
    (0.05, 0.6, (1.5, 1.0, -0.5, 0.7), 0.2, 0.1),
]


@functools.cache
def _choice_mass(A, b, v, t, s, response):
    """P(response) by adaptive quadrature of the density over the decision time."""

    def density(tau):
        return float(np.exp(_logpdf(t + tau, response, A, b, v, t, s)))

    # The body, split where the mean drifts finish, and the ~1/tau^2 tail.
    split = sorted({(b - A / 2) / x for x in v if x > 0 and (b - A / 2) / x < 10.0})
    pieces = [0.0, *split, 10.0]
    opts = {"epsabs": 1e-13, "epsrel": 1e-12, "limit": 500}
    body = sum(
        integrate.quad(density, lo, hi, **opts)[0]
        for lo, hi in zip(pieces[:-1], pieces[1:], strict=True)
    )
    return body + integrate.quad(density, 10.0, np.inf, **opts)[0]


@pytest.mark.parametrize("params", NORMALISED)
def test_integrates_to_one(params):
    # The quadrature's error is ~1e-12 (epsabs, epsrel); 1e-8 is the spec's tolerance.
    total = sum(_choice_mass(*params, i) for i in range(len(params[2])))
    assert total == pytest.approx(1.0, abs=1e-8)


# --------------------------------------------------------------------------
# Extremes, support and parameter space: one value-and-gradient call per dtype
# --------------------------------------------------------------------------


def _trials():
    """Per-trial (rt, response, A, b, v0, v1, v2, t, s): extremes, then outside the support."""
    tau, va, vb, s, ratio, response = (
        g.ravel()
        for g in np.meshgrid(
            [1e-6, 1e-3, 0.3, 5.0, 50.0],
            [-3.0, -0.5, 0.0, 1.0, 5.0],
            [-3.0, 0.5, 5.0],
            [0.05, 0.3, 1.0],
            [1e-3, 0.5, 0.99],
            [0, 1, 2],
            indexing="ij",
        )
    )
    b, t = np.full(tau.shape, 1.5), np.full(tau.shape, 0.2)
    extremes = [t + tau, response, ratio * b, b, va, vb, -va, t, s]
    # rt < t, rt = t, b = A, b < A, A = 0, A < 0, s = 0, s < 0, response 3 and 0.5 (no
    # such accumulator), v NaN, v inf, b inf.
    nan, inf = np.nan, np.inf
    outside = [
        [0.1, 0.2, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8],
        [0, 1, 0, 1, 2, 0, 0, 1, 3, 0.5, 0, 0, 1],
        [0.5, 0.5, 1.0, 1.2, 0.0, -0.1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
        [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, inf],
        [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, nan, inf, 1.0],
        [0.5] * 13,
        [0.2] * 13,
        [0.2] * 13,
        [0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.0, -0.2, 0.3, 0.3, 0.3, 0.3, 0.3],
    ]
    cols = [
        np.concatenate([e, np.asarray(o, float)]) for e, o in zip(extremes, outside, strict=True)
    ]
    return cols, tau.size


@functools.cache
def _value_and_grads(dtype, grads=True):
    """Per-trial log densities (and gradients in A, b, v0, v1, v2, t, s) of _trials()."""
    cols, _ = _trials()
    # Both dtypes see the same (float32-representable) inputs, so that float32 can be
    # compared with float64 without the rounding of the inputs (rt - t at tau = 1e-6).
    rt, response, *params = (jnp.asarray(np.float32(c), dtype) for c in cols)

    def total(A, b, v0, v1, v2, t, s):
        per_trial = lba_logpdf(rt, response, A, b, (v0, v1, v2), t, s)
        return jnp.sum(per_trial), per_trial  # d sum / d theta_i = d logp_i / d theta_i

    if not grads:
        return np.asarray(jax.jit(lambda *a: total(*a)[1])(*params))
    grad, values = jax.jit(jax.grad(total, argnums=tuple(range(7)), has_aux=True))(*params)
    return np.asarray(values), [np.asarray(g) for g in grad]


@pytest.mark.parametrize("dtype", [jnp.float64, jnp.float32])
def test_extremes_and_outside_support(dtype):
    """Finite values and gradients at the extremes; -inf with zero gradient outside."""
    values, grads = _value_and_grads(dtype)
    _, n = _trials()
    assert values.dtype == dtype and all(g.dtype == dtype for g in grads)
    assert np.all(np.isfinite(values[:n]))
    for name, g in zip(("A", "b", "v0", "v1", "v2", "t", "s"), grads, strict=True):
        assert np.all(np.isfinite(g[:n])), name
    assert np.all(values[n:] == -np.inf)
    for name, g in zip(("A", "b", "v0", "v1", "v2", "t", "s"), grads, strict=True):
        assert np.all(g[n:] == 0.0), name
    if dtype == jnp.float32:
        # Same inputs; float32 rounding (6e-8 per operation) is amplified where the
        # standardised drift x = -v/s + b/(tau s) cancels (v/s = 100 here): measured max
        # 7e-6 relative to max(1, |log p|), so 1e-4 leaves a factor > 10.
        v64 = _value_and_grads(jnp.float64, grads=False)
        scale = np.maximum(1.0, np.abs(v64[:n]))
        assert np.max(np.abs(values[:n] - v64[:n]) / scale) < 1e-4


def test_two_accumulators_required():
    with pytest.raises(ValueError, match="at least 2"):
        lba_logpdf(0.5, 0, 0.5, 1.0, (1.0,))


# --------------------------------------------------------------------------
# Simulator
# --------------------------------------------------------------------------

N_DRAWS = 200_000
SIMULATED = NORMALISED[1]
SEED = 20240611
# Trials 0..7 have invalid parameters: b = A, b < A, A = 0, A < 0,
# s = 0, t < 0, v NaN, b inf. Every simulator test shares one compiled sampler: per-trial
# parameter arrays of N_DRAWS trials, of which the others use trials 8.. only.
N_INVALID = 8


@functools.cache
def _draws(t: float, seed: int = SEED, v: tuple = SIMULATED[2]):
    A, b, _, _, s = SIMULATED
    A, b, t, s, *v = (np.full(N_DRAWS, x) for x in (A, b, t, s, *v))
    A[:4] = [b[0], b[0] + 0.2, 0.0, -0.1]
    s[4], t[5], v[0][6], b[7] = 0.0, -0.1, np.nan, np.inf
    rt, response = sample_lba(jax.random.key(seed), A, b, tuple(v), t, s)
    return np.asarray(rt), np.asarray(response)


def test_simulator_matches_density():
    A, b, v, t, s = SIMULATED
    rt, response = (x[N_INVALID:] for x in _draws(t))
    n_draws = rt.size
    assert np.all(np.isfinite(rt)) and np.all(rt > t)
    assert set(np.unique(response)) == {0.0, 1.0, 2.0}
    tau_max = float(np.max(rt - t))
    # Decision-time CDF of each choice on a log grid (trapezoid; error ~1e-8, far below
    # the KS resolution 1/sqrt(n) ~ 3e-3).
    u = np.linspace(np.log(1e-3), np.log(tau_max), 40001)
    grid = np.exp(u)
    for i in range(len(v)):
        tau = rt[response == i] - t
        mass = _choice_mass(A, b, v, t, s, i)
        # Binomial z-test of the choice proportion: |z| < 4 fails a correct sampler with
        # probability 6e-5 per choice.
        z = (tau.size - n_draws * mass) / np.sqrt(n_draws * mass * (1 - mass))
        assert abs(z) < 4, (i, z)
        dens = np.exp(np.asarray(_logpdf(t + grid, i, A, b, v, t, s))) * grid
        cum = np.concatenate([[0.0], np.cumsum(0.5 * (dens[1:] + dens[:-1]) * np.diff(u))])
        # KS test of the decision time given the choice. The seed is fixed, so this is
        # deterministic; a correct sampler fails p < 1e-3 with probability 1e-3.
        cdf = cum / mass
        p = stats.kstest(tau, lambda x, cdf=cdf: np.interp(x, grid, cdf)).pvalue
        assert p > 1e-3, (i, p)


def test_simulator_t_shift_invalid_and_all_negative():
    t = SIMULATED[3]
    # Same key: the same decisions, shifted by t.
    rt0, r0 = _draws(0.0)
    rt1, r1 = _draws(t)
    np.testing.assert_array_equal(r0, r1)
    np.testing.assert_allclose(rt1[N_INVALID:] - rt0[N_INVALID:], t, rtol=0, atol=1e-12)
    assert np.all(rt0[N_INVALID:] > 0)
    # Invalid parameters: NaN response times.
    assert np.all(np.isnan(rt1[:N_INVALID]))
    # P(all drifts negative) = 1 - 3e-9 (v/s = -6 each): a rejection sampler would need
    # ~3e8 rounds per trial; the first-positive decomposition does fixed work. The three
    # accumulators are exchangeable, so each wins a third of the trials.
    rt, response = (x[N_INVALID:] for x in _draws(t, 5, (-3.0, -3.0, -3.0)))
    assert np.all(np.isfinite(rt)) and np.all(rt > t)
    for i in range(3):
        share = np.mean(response == i)
        assert abs(share - 1 / 3) < 4 * np.sqrt(2 / 9 / rt.size), (i, share)


def test_simulator_dtypes():
    # Traced only (no compilation): float32 parameters give float32 outputs.
    f32 = np.float32
    out = jax.eval_shape(
        lambda k: sample_lba(k, f32(0.5), f32(1.0), (f32(1.0), f32(0.5)), shape=(3,)),
        jax.random.key(0),
    )
    assert [(x.shape, x.dtype) for x in out] == [((3,), jnp.float32)] * 2


def test_simulator_two_accumulators_required():
    with pytest.raises(ValueError, match="at least 2"):
        sample_lba(jax.random.key(0), 0.5, 1.0, (1.0,))
