"""poisson_race_logpdf, gamma_logsf and sample_poisson_race against independent references.

References are computed with mpmath at 50 digits (regularised incomplete gamma
functions, mpmath.diff for derivatives) and with scipy's quadrature. Every jitted
function is called on arrays padded to one length so that it compiles once per dtype.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest
from scipy import integrate, stats

from hierax.likelihoods.poisson_race import gamma_logsf, poisson_race_logpdf
from hierax.simulators.poisson_race import sample_poisson_race

DIGITS = 50
PAD = 128  # every batch is padded to this length: one compilation per dtype
LOG_TOL = 1e-10  # absolute, log density and log survival, float64
DK_RTOL = 1e-7  # relative, d/dk of the log survival

# Value and gradient wrt (rt, r1, r2, k1, k2, t), trial by trial (the trials are
# independent, so the gradient of the sum is the per-trial gradient): the one compiled
# function (per dtype) that every test of the density goes through.
_race_value_and_grad = jax.jit(
    jax.grad(
        lambda *a: (jnp.sum(lp := poisson_race_logpdf(*a)), lp),
        argnums=(0, 2, 3, 4, 5, 6),
        has_aux=True,
    )
)


def _race_columns(rows):
    return [np.array(c, dtype=np.float64) for c in zip(*rows, strict=True)]


def _race(rows, dtype=np.float64):
    """Log density and its gradients at rows (rt, response, r1, r2, k1, k2, t)."""
    n = len(rows)
    assert n <= PAD
    columns = [
        np.concatenate([c, np.full(PAD - n, c[0])]).astype(dtype) for c in _race_columns(rows)
    ]
    grads, value = _race_value_and_grad(*columns)
    return np.asarray(value)[:n], [np.asarray(g)[:n] for g in grads]


def _log_q_via_race(k, x, dtype=np.float64):
    """log Q(k, x) and its derivatives wrt k and x, read off the race density.

    With tau = 1 and a winner of rate 1 and shape 1 (log density -tau = -1), the
    loser of shape k and rate x contributes log Q(k, x); d/dk2 = d log Q / dk and
    d/dr2 = tau d log Q / dx.
    """
    rows = [(1.0, -1.0, 1.0, x_, 1.0, k_, 0.0) for k_, x_ in zip(k, x, strict=True)]
    value, (_, _, d_r2, _, d_k2, _) = _race(rows, dtype)
    return value + 1.0, d_k2, d_r2


# --------------------------------------------------------------------------
# mpmath references
# --------------------------------------------------------------------------


def mp_log_q(k, x):
    """log Q(k, x) at DIGITS digits: log1p(-P) where P is small, log Q otherwise."""
    # At least DIGITS, more inside mpmath.diff (which raises the working precision).
    with mp.workdps(max(DIGITS, mp.mp.dps)):
        k, x = mp.mpf(k), mp.mpf(x)
        p = mp.gammainc(k, 0, x, regularized=True)
        if p < 0.5:
            return mp.log1p(-p)
        return mp.log(mp.gammainc(k, x, mp.inf, regularized=True))


def mp_log_race(rt, response, r1, r2, k1, k2, t):
    with mp.workdps(max(DIGITS, mp.mp.dps)):
        tau = mp.mpf(rt) - mp.mpf(t)
        (r_w, k_w), (r_l, k_l) = ((r2, k2), (r1, k1)) if response > 0 else ((r1, k1), (r2, k2))
        r_w, k_w = mp.mpf(r_w), mp.mpf(k_w)
        log_g = k_w * mp.log(r_w) + (k_w - 1) * mp.log(tau) - r_w * tau - mp.loggamma(k_w)
        return log_g + mp_log_q(k_l, r_l * tau)


# (k, x): bulk, both sides of the series / continued-fraction switch at x = k + 1,
# small shapes (Q ~ k E1(x)) and far tails where gammaincc underflows.
SF_POINTS = [
    (k, x)
    for k in (0.01, 0.05, 0.3, 1.0, 2.5, 10.0, 50.0)
    for x in (1e-3, 0.5, 2.0, 9.5, 11.5, 60.0, 200.0, 750.0)
]

# (rt, response, r1, r2, k1, k2, t); the last rows have r_loser * tau of 100 to 200.
RACE_POINTS = [
    (0.8, -1, 4.0, 3.0, 2.0, 2.0, 0.3),
    (0.8, 1, 4.0, 3.0, 2.0, 2.0, 0.3),
    (0.35, -1, 10.0, 2.0, 0.5, 3.0, 0.3),
    (0.3001, 1, 1.0, 5.0, 4.0, 0.3, 0.3),
    (2.5, -1, 1.5, 0.7, 7.5, 1.2, 0.2),
    (1.2, 1, 30.0, 25.0, 30.0, 22.0, 0.1),
    (5.0, -1, 0.2, 0.9, 1.0, 0.05, 0.0),
    (0.5, 1, 50.0, 60.0, 50.0, 25.0, 0.0),
    (2.2, -1, 3.0, 100.0, 5.0, 3.0, 0.2),  # loser at x = 200
    (4.3, 1, 25.0, 2.0, 2.5, 8.0, 0.3),  # loser at x = 100, winner far past its mode
    (10.2, -1, 1.0, 20.0, 1.5, 40.0, 0.2),  # loser at x = 200 with a large shape
    (8.0, 1, 25.0, 10.0, 0.5, 60.0, 0.0),  # both far in the tail
]


# --------------------------------------------------------------------------
# Accuracy
# --------------------------------------------------------------------------


def test_log_survival_matches_mpmath_including_far_tail():
    k, x = zip(*SF_POINTS, strict=True)
    ours = _log_q_via_race(k, x)[0]
    reference = np.array([float(mp_log_q(*p)) for p in SF_POINTS])
    np.testing.assert_allclose(ours, reference, rtol=0, atol=LOG_TOL)
    # Where jax's gammaincc underflows, the log survival is still finite and accurate.
    assert np.isfinite(ours).all()
    assert float(jax.scipy.special.gammaincc(2.5, 750.0)) == 0.0


def test_gamma_logsf():
    x = jnp.array([0.7, 250.0, -1.0, jnp.inf, 1.0])
    k = jnp.array([2.5, 3.0, 2.0, 2.0, -2.0])
    rate = jnp.array([3.0, 2.0, 1.0, 1.0, 1.0])
    values = np.asarray(gamma_logsf(x, k, rate))
    expected = [float(mp_log_q(2.5, 2.1)), float(mp_log_q(3.0, 500.0))]
    np.testing.assert_allclose(values[:2], expected, rtol=0, atol=LOG_TOL)
    assert values[2] == 0.0 and values[3] == -np.inf and np.isnan(values[4])


def test_log_survival_derivatives_match_mpmath():
    k, x = zip(*SF_POINTS, strict=True)
    _, gk, gx = _log_q_via_race(k, x)
    with mp.workdps(DIGITS):
        dk = np.array(
            [float(mp.diff(lambda kk, x=x_: mp_log_q(kk, x), k_)) for k_, x_ in SF_POINTS]
        )
        dx = np.array(
            [float(mp.diff(lambda xx, k=k_: mp_log_q(k, xx), x_)) for k_, x_ in SF_POINTS]
        )
    np.testing.assert_allclose(gk, dk, rtol=DK_RTOL, atol=0)
    np.testing.assert_allclose(gx, dx, rtol=1e-9, atol=0)


def test_log_density_matches_mpmath():
    ours = _race(RACE_POINTS)[0]
    reference = np.array([float(mp_log_race(*p)) for p in RACE_POINTS])
    np.testing.assert_allclose(ours, reference, rtol=0, atol=LOG_TOL)


def test_log_density_gradients_match_finite_differences():
    # Not the point with tau = 1e-4, where central differences are off by f''' h^2 / 6.
    rows = [RACE_POINTS[i] for i in (0, 1, 2, 4, 5, 6)]
    grads = _race(rows)[1]  # rt, r1, r2, k1, k2, t
    columns = _race_columns(rows)
    for g, index in zip(grads, (0, 2, 3, 4, 5, 6), strict=True):
        step = 1e-6 * np.maximum(np.abs(columns[index]), 1.0)
        up = [c.copy() for c in columns]
        down = [c.copy() for c in columns]
        up[index] += step
        down[index] -= step
        fd = (_race(list(zip(*up, strict=True)))[0] - _race(list(zip(*down, strict=True)))[0]) / (
            2 * step
        )
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    "params",
    [(4.0, 3.0, 2.0, 2.0, 0.3), (10.0, 2.0, 0.5, 3.0, 0.1), (1.5, 0.7, 7.5, 1.2, 0.2)],
)
def test_density_integrates_to_one_over_rt_and_both_choices(params):
    r1, r2, k1, k2, t = params
    total = 0.0
    for response in (-1.0, 1.0):

        def density(tau, response=response):
            return float(np.exp(_race([(t + tau, response, r1, r2, k1, k2, t)])[0][0]))

        # Split at 1 s: the density may have an integrable singularity at 0 (k < 1).
        head, _ = integrate.quad(density, 0.0, 1.0, limit=200, epsabs=1e-13, epsrel=1e-12)
        tail, _ = integrate.quad(density, 1.0, np.inf, limit=200, epsabs=1e-13, epsrel=1e-12)
        total += head + tail
    assert abs(total - 1.0) < 1e-8


# --------------------------------------------------------------------------
# Extremes, invalid inputs, dtypes
# --------------------------------------------------------------------------

EXTREME_POINTS = [
    (0.3 + 1e-7, -1, 4.0, 3.0, 0.3, 2.0, 0.3),  # tau tiny, singular winner density
    (0.3 + 1e-7, 1, 4.0, 3.0, 0.3, 2.0, 0.3),  # tau tiny, winner with k > 1
    (60.0, -1, 5.0, 5.0, 2.0, 2.0, 0.0),  # r tau = 300 (gammaincc is 0 in float32)
    (3.0, 1, 300.0, 0.5, 1.0, 2.0, 0.0),  # loser at x = 900
    (1.0, -1, 1.0, 1.0, 1e-3, 1e-3, 0.0),  # tiny shapes
    (1.0, 1, 1.0, 80.0, 60.0, 80.0, 0.0),  # large shapes, near the series/CF switch
    (1.0, -1, 1e-4, 1e-4, 2.0, 2.0, 0.0),  # tiny rates
    (1.0, 1, 1e3, 1e3, 2.0, 2.0, 0.9),  # huge rates
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_finite_values_and_gradients_at_extremes(dtype):
    values, grads = _race(EXTREME_POINTS, dtype)
    assert values.dtype == dtype and all(g.dtype == dtype for g in grads)
    assert np.isfinite(values).all(), values
    for g in grads:
        assert np.isfinite(g).all(), g
    reference = np.array([float(mp_log_race(*p)) for p in EXTREME_POINTS])
    # float32 rounds the inputs (tau = 1e-7 against rt = 0.3) and the large terms
    # (k log x - x at x = 900): compare against the reference at the rounded inputs.
    rounded = [tuple(float(np.asarray(v, dtype)) for v in p) for p in EXTREME_POINTS]
    if dtype == np.float64:
        np.testing.assert_allclose(values, reference, rtol=0, atol=LOG_TOL)
    else:
        reference = np.array([float(mp_log_race(*p)) for p in rounded])
        np.testing.assert_allclose(values, reference, rtol=2e-6, atol=2e-4)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gradients_of_log_survival_finite_in_far_tail(dtype):
    x = [80.0, 150.0, 400.0, 5e3, 1e5, 1e-6, 0.5]
    k = [2.0, 0.3, 50.0, 1e-3, 7.0, 30.0, 1e-4]
    values, gk, gx = _log_q_via_race(k, x, dtype)
    assert np.isfinite(values).all() and np.isfinite(gx).all() and np.isfinite(gk).all()
    # Far right tail: the hazard d(-log Q)/dx tends to 1.
    np.testing.assert_allclose(-gx[4], 1.0, rtol=1e-4)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_invalid_points_are_minus_inf_with_zero_gradients(dtype):
    rows = [
        (0.3, -1, 4.0, 3.0, 2.0, 2.0, 0.3),  # rt == t
        (0.2, 1, 4.0, 3.0, 2.0, 2.0, 0.3),  # rt < t
        (0.8, -1, 0.0, 3.0, 2.0, 2.0, 0.3),  # r1 = 0
        (0.8, 1, 4.0, -3.0, 2.0, 2.0, 0.3),  # r2 < 0
        (0.8, -1, 4.0, 3.0, -1.0, 2.0, 0.3),  # k1 < 0
        (0.8, 1, 4.0, 3.0, 2.0, 0.0, 0.3),  # k2 = 0
        (np.inf, 1, 4.0, 3.0, 2.0, 2.0, 0.3),  # rt infinite
    ]
    values, grads = _race(rows, dtype)
    assert values.dtype == dtype
    assert np.all(values == -np.inf)
    for g in grads:
        np.testing.assert_array_equal(g, 0.0)


# --------------------------------------------------------------------------
# Simulator against the density
# --------------------------------------------------------------------------

N_DRAWS = 200_000
SIM_PARAMS = (4.0, 3.0, 2.5, 1.5, 0.3)  # r1, r2, k1, k2, t
GL_NODES, GL_WEIGHTS = np.polynomial.legendre.leggauss(20)


def _density(tau, response, r1, r2, k1, k2):
    """The race density in numpy/scipy (independent of the JAX implementation)."""
    if response < 0:
        return stats.gamma.pdf(tau, k1, scale=1 / r1) * stats.gamma.sf(tau, k2, scale=1 / r2)
    return stats.gamma.pdf(tau, k2, scale=1 / r2) * stats.gamma.sf(tau, k1, scale=1 / r1)


def _defective_cdf(response, r1, r2, k1, k2, upper=20.0, n_cells=4000):
    """Grid and cumulative integral of the density of ``response`` (Gauss-Legendre cells)."""
    edges = np.concatenate([[0.0], np.geomspace(1e-6, upper, n_cells)])
    lo, hi = edges[:-1, None], edges[1:, None]
    nodes = 0.5 * (hi - lo) * GL_NODES + 0.5 * (hi + lo)
    cells = 0.5 * (hi - lo)[:, 0] * (_density(nodes, response, r1, r2, k1, k2) @ GL_WEIGHTS)
    return edges, np.concatenate([[0.0], np.cumsum(cells)])


def test_simulator_matches_density():
    r1, r2, k1, k2, t = SIM_PARAMS
    # Per-trial rates; the last two trials have invalid rates and must give NaN.
    rate2 = np.full(N_DRAWS + 2, r2)
    rate2[-2:] = (-r2, np.nan)
    rt, response = sample_poisson_race(jax.random.key(20240607), r1, rate2, k1, k2, t)
    rt, response = np.asarray(rt), np.asarray(response)
    assert rt.dtype == np.float64 and response.dtype == np.float64
    assert np.isnan(rt[-2:]).all()
    rt, response = rt[:-2], response[:-2]
    assert set(np.unique(response)) == {-1.0, 1.0} and np.all(rt > t)
    total = 0.0
    for code in (-1.0, 1.0):
        grid, cdf = _defective_cdf(code, r1, r2, k1, k2)
        p = cdf[-1]
        total += p
        count = np.sum(response == code)
        z = (count - N_DRAWS * p) / np.sqrt(N_DRAWS * p * (1 - p))
        assert abs(z) < 4, (code, p, count / N_DRAWS)
        ks = stats.kstest(rt[response == code] - t, lambda s, g=grid, c=cdf / p: np.interp(s, g, c))
        assert ks.pvalue > 1e-3, (code, ks)
    # The choice probabilities of the reference density sum to one on this grid.
    assert abs(total - 1.0) < 1e-9
