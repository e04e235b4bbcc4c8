"""racing_diffusion_logpdf against 50-digit integrals, and the simulator against it.

The reference (``_mp_accumulator``) shares nothing with the code under test: the
start-point average of the Wald density and of the Wald survival function
``1 - Phi((v tau - d)/sqrt tau) - exp(2 v d) Phi(-(v tau + d)/sqrt tau)`` is computed
by mpmath's Gauss-Legendre quadrature over the distance ``d``, at 50 significant
digits.

Compilation dominates the run time, so every jitted function is compiled once: all
likelihood calls go through padded batches of ``_BATCH`` trials, in three compiled
versions (3 accumulators, value; 2 accumulators, value and gradient, in float64 and
in float32).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest
from scipy import integrate, stats

from hierax.likelihoods.racing_diffusion import racing_diffusion_logpdf
from hierax.simulators.racing_diffusion import sample_racing_diffusion

_BATCH = 64
_DPS = 50
# Extra digits for the Wald survival 1 - cdf, which cancels (see _mp_wald_sf).
_GUARD_DIGITS = 12


# --------------------------------------------------------------------------
# Compiled functions, padded batches
# --------------------------------------------------------------------------


@jax.jit
def _logpdf3(rt, response, A, b, v0, v1, v2, t):
    return racing_diffusion_logpdf(rt, response, A, b, (v0, v1, v2), t)


def _loss2(rt, response, A, b, v0, v1, t):
    logp = racing_diffusion_logpdf(rt, response, A, b, (v0, v1), t)
    return jnp.sum(jnp.where(jnp.isfinite(logp), logp, 0.0)), logp


# Per-trial gradients: the trials are independent, so the gradient of the sum with
# respect to per-trial parameters is the per-trial gradient.
_value_grad2 = jax.jit(jax.value_and_grad(_loss2, argnums=(0, 2, 3, 4, 5, 6), has_aux=True))


def _padded(fn, columns, dtype=np.float64):
    """``fn`` on columns of any length n <= _BATCH, padded with copies of row 0."""
    shape = np.broadcast_shapes((1,), *map(np.shape, columns))
    columns = [np.broadcast_to(np.asarray(c, dtype), shape) for c in columns]
    n = columns[0].shape[0]
    assert n <= _BATCH
    padded = [jnp.asarray(np.concatenate([c, np.repeat(c[:1], _BATCH - n)])) for c in columns]
    out = fn(*padded)
    return jax.tree.map(lambda x: np.asarray(x)[:n] if np.ndim(x) else np.asarray(x), out)


def value_grad2(rt, response, A, b, v, t, dtype=np.float64):
    (_, logp), grads = _padded(_value_grad2, [rt, response, A, b, *v, t], dtype)
    return logp, grads


def logpdf(rt, response, A, b, v, t):
    if len(v) == 2:
        return value_grad2(rt, response, A, b, v, t)[0]
    return _padded(_logpdf3, [rt, response, A, b, *v, t])


# --------------------------------------------------------------------------
# Reference: 50-digit start-point integrals
# --------------------------------------------------------------------------


def _mp_wald_pdf(tau, d, v):
    return d / mp.sqrt(2 * mp.pi * tau**3) * mp.exp(-((d - v * tau) ** 2) / (2 * tau))


def _mp_wald_sf(tau, d, v):
    # 1 - cdf cancels to S ~ 10**-k, losing k digits: evaluated with _GUARD_DIGITS
    # extra digits, and again with k more where S turns out smaller than 10**-GUARD.
    def sf(extra):
        with mp.workdps(_DPS + extra):
            s = mp.sqrt(tau)
            return 1 - mp.ncdf((v * tau - d) / s) - mp.exp(2 * v * d) * mp.ncdf(-(v * tau + d) / s)

    value = sf(_GUARD_DIGITS)
    if value < mp.mpf(10) ** -_GUARD_DIGITS:
        value = sf(_GUARD_DIGITS + int(-mp.log10(abs(value) + mp.mpf(10) ** -200)) + 10)
    return value


def _mp_accumulator(tau, A, b, v):
    """log f and log S of one accumulator: (1/A) int_{b-A}^b of the Wald pdf and sf."""
    with mp.workdps(_DPS):
        tau, A, b, v = (mp.mpf(x) for x in (tau, A, b, v))
        if A == 0:
            return mp.log(_mp_wald_pdf(tau, b, v)), mp.log(_mp_wald_sf(tau, b, v))
        # Both integrands are analytic in d and change on the scale sqrt(tau) around
        # d = v tau: split there, and use Gauss-Legendre (mpmath raises the degree
        # until two successive degrees agree to the working precision).
        s = mp.sqrt(tau)
        inner = [v * tau + k * s for k in (-4, 0, 4)]
        breaks = [b - A] + sorted(x for x in inner if b - A < x < b) + [b]
        f = mp.quad(lambda d: _mp_wald_pdf(tau, d, v), breaks, method="gauss-legendre") / A
        sf = mp.quad(lambda d: _mp_wald_sf(tau, d, v), breaks, method="gauss-legendre") / A
        return mp.log(f), mp.log(sf)


def _mp_logpdf(tau, response, A, b, v):
    parts = [_mp_accumulator(tau, A, b, vi) for vi in v]
    total = parts[response][0] + sum(p[1] for i, p in enumerate(parts) if i != response)
    return float(total)


# (rt - t, response, A, b, drifts): typical points, tiny and large tau, small A.
TABLE = [
    (0.6, 0, 0.5, 1.5, (2.0, 1.0)),
    (0.6, 1, 0.5, 1.5, (2.0, 1.0)),
    (1e-4, 0, 0.05, 0.1, (1.0, 0.5)),  # A >> sqrt(tau): closed forms
    (1e-3, 1, 1.5e-5, 0.15, (3.0, 2.0)),  # A = 1e-4 b: quadrature
    (20.0, 0, 1.0, 2.0, (0.3, 0.1)),
    (8.0, 0, 0.5, 1.0, (1.5, 2.0)),  # the loser's survival ~ exp(-19.6)
    (0.7, 1, 1e-6, 1.0, (1.2, 0.8)),
    (0.7, 1, 0.0, 1.0, (1.2, 0.8)),  # the plain Wald race
    (0.9, 0, 1.998, 2.0, (1.0, 1.5)),  # A = 0.999 b
    (2.0, 0, 0.3, 1.0, (0.01, 0.5)),
    (0.7, 2, 0.5, 1.5, (2.0, 1.5, 1.0)),
    (0.3, 1, 1e-4, 1.0, (3.0, 1.0, 0.5)),
    (15.0, 1, 2.0, 4.0, (0.2, 0.4, 0.1)),
    (2e-4, 0, 0.09, 0.1, (5.0, 4.0, 3.0)),
    (0.2, 0, 1.0, 2.0, (10.0, 8.0, 6.0)),
    (3.0, 2, 0.8, 1.0, (0.5, 0.05, 2.0)),
]
T0 = 0.2


@pytest.mark.parametrize("n_acc", [2, 3])
def test_matches_mpmath_start_point_integrals(n_acc):
    rows = [r for r in TABLE if len(r[4]) == n_acc]
    tau, response, A, b = (np.array([r[i] for r in rows]) for i in range(4))
    v = [np.array([r[4][j] for r in rows]) for j in range(n_acc)]
    got = logpdf(T0 + tau, response, A, b, v, T0)
    ref = np.array([_mp_logpdf(r[0], r[1], r[2], r[3], r[4]) for r in rows])
    # Measured: 1.3e-12 at worst (tau = 1e-4, log density -5.8); 1e-10 is the specification.
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-10)


def test_small_A_is_continuous_at_zero():
    A = np.array([0.0, 1e-12, 1e-9, 1e-6])
    got = logpdf(0.9, 1.0, A, 1.2, (1.5, 1.0), 0.2)
    # d log p / dA is O(1) here, so the change from A = 0 is O(A).
    assert (np.abs(got[1:] - got[0]) <= 10 * A[1:] + 1e-13).all(), got - got[0]


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------

MODEL3 = dict(A=0.5, b=1.5, v=(2.0, 1.5, 1.0), t=0.2)
MODEL2 = dict(A=1e-3, b=1.0, v=(1.5, 0.7), t=0.1)
# Integrated over u = log(tau): the integrand tau p(tau) is a smooth bump. Below
# tau = 1e-6 the density is below exp(-b**2 / (2 tau)) ~ 0, above tau = 200 below
# exp(-min(v)**2 tau / 2) < 1e-20.
_U_PIECES = [np.log(1e-6), -6.0, -3.0, -1.0, 1.0, 3.0, np.log(200.0)]


def _total_probability(model):
    """Integral of the density over rt and the responses, by quad over log(rt - t)."""
    codes = np.arange(len(model["v"]), dtype=float)
    A, b, v, t = model["A"], model["b"], model["v"], model["t"]

    def integrand(u):  # all responses in one call
        tau = np.exp(u)
        return tau * np.exp(logpdf(t + tau, codes, A, b, v, t)).sum()

    total, _ = integrate.quad(
        integrand, _U_PIECES[0], _U_PIECES[-1], points=_U_PIECES[1:-1], epsabs=1e-10, epsrel=1e-10
    )
    return total


@pytest.mark.parametrize("model", [MODEL2, MODEL3], ids=["2 accumulators", "3 accumulators"])
def test_density_integrates_to_one(model):
    # Quadrature tolerances 1e-10: 1e-8 leaves a wide margin.
    assert abs(_total_probability(model) - 1.0) < 1e-8


# --------------------------------------------------------------------------
# Finite values and gradients; outside the support
# --------------------------------------------------------------------------


def _extreme_grid():
    """Corners of tau in [1e-4, 50], v in [0.01, 10], b in [0.1, 5], A / b in [1e-4, 0.999]."""
    rows = []
    for tau in (1e-4, 50.0):
        for v in (0.01, 10.0):
            for b in (0.1, 5.0):
                for frac in (1e-4, 0.999):
                    for response in (0.0, 1.0):
                        rows.append((tau, response, frac * b, b, (v, 10.01 - v)))
    rows.append((1e-4, 1.0, 0.0, 0.1, (10.0, 0.01)))  # A = 0
    rows.append((50.0, 1.0, 0.0, 5.0, (10.0, 0.01)))
    return rows


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_finite_values_and_gradients_at_extremes(dtype):
    rows = _extreme_grid()
    tau, response, A, b = (np.array([r[i] for r in rows]) for i in range(4))
    v = [np.array([r[4][j] for r in rows]) for j in range(2)]
    t = 0.1
    logp, grads = value_grad2(t + tau, response, A, b, v, t, dtype)
    assert logp.dtype == dtype and all(g.dtype == dtype for g in grads)
    assert np.isfinite(logp).all()
    for g in grads:
        assert np.isfinite(g).all()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_outside_support_is_minus_inf_with_zero_gradient(dtype):
    # rt, response, A, b, v0, v1, t
    rows = [
        (0.2, 0.0, 0.5, 1.5, 2.0, 1.0, 0.2),  # rt == t
        (0.1, 0.0, 0.5, 1.5, 2.0, 1.0, 0.2),  # rt < t
        (0.8, 0.0, 1.5, 1.5, 2.0, 1.0, 0.2),  # b == A
        (0.8, 1.0, 2.0, 1.5, 2.0, 1.0, 0.2),  # b < A
        (0.8, 1.0, -0.1, 1.5, 2.0, 1.0, 0.2),  # A < 0
        (0.8, 1.0, 0.5, 1.5, 2.0, 0.0, 0.2),  # a drift of 0
        (0.8, 0.0, 0.5, 1.5, -1.0, 1.0, 0.2),  # a negative drift
        (0.8, 2.0, 0.5, 1.5, 2.0, 1.0, 0.2),  # no such response
        (0.8, 0.5, 0.5, 1.5, 2.0, 1.0, 0.2),  # not a response code
        (0.8, 0.0, 0.5, 1.5, 2.0, 1.0, -0.1),  # t < 0
        (0.8, 0.0, 0.5, np.nan, 2.0, 1.0, 0.2),
        (np.inf, 0.0, 0.5, 1.5, 2.0, 1.0, 0.2),
    ]
    columns = list(np.array(rows).T)
    logp, grads = value_grad2(
        columns[0], columns[1], columns[2], columns[3], columns[4:6], columns[6], dtype
    )
    assert (logp == -np.inf).all()
    for g in grads:
        assert (g == 0).all()


def _gradient_points():
    """(rt - t, response, A, b, drifts): winners and losers, early and late, narrow and wide."""
    rng = np.random.default_rng(31)
    rows = []
    for tau in (0.03, 0.25, 0.8, 2.5, 9.0):
        for frac in (2e-3, 0.08, 0.5, 0.97):
            b = float(np.exp(rng.uniform(np.log(0.3), np.log(3.0))))
            v = tuple(float(x) for x in np.exp(rng.uniform(np.log(0.3), np.log(4.0), 2)))
            rows.append((tau, float(rng.integers(2)), frac * b, b, v))
    return rows


def test_gradient_matches_finite_differences():
    # Central differences of the float64 value, step 1e-6 relative in each of rt, A, b,
    # v0, v1, t: truncation error ~1e-12 relative, rounding ~1e-15 / 1e-6 = 1e-9.
    rows = _gradient_points()
    t = 0.15
    base = np.array([[t + r[0], r[1], r[2], r[3], r[4][0], r[4][1], t] for r in rows])
    _, grads = value_grad2(*base[:, [0, 1, 2, 3]].T, base[:, [4, 5]].T, base[:, 6])
    params = [0, 2, 3, 4, 5, 6]  # the columns the gradient is taken in
    shifted = []
    steps = 1e-6 * np.abs(base[:, params])
    for j, col in enumerate(params):
        for sign in (1.0, -1.0):
            x = base.copy()
            x[:, col] += sign * steps[:, j]
            shifted.append(x)
    shifted = np.concatenate(shifted)
    values = np.concatenate(
        [
            logpdf(*chunk[:, [0, 1, 2, 3]].T, chunk[:, [4, 5]].T, chunk[:, 6])
            for chunk in np.array_split(shifted, -(-len(shifted) // _BATCH))
        ]
    ).reshape(len(params), 2, len(rows))
    for j, g in enumerate(grads):
        fd = (values[j, 0] - values[j, 1]) / (2.0 * steps[:, j])
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8, err_msg=f"parameter {j}")


def test_needs_two_accumulators():
    with pytest.raises(ValueError, match="at least 2"):
        racing_diffusion_logpdf(0.5, 0, 0.5, 1.0, (1.0,), 0.1)


# --------------------------------------------------------------------------
# Simulator
# --------------------------------------------------------------------------

_N_DRAWS = 200_000
_N_INVALID = 6


@pytest.fixture(scope="module")
def draws3():
    """200k draws of MODEL3, the first _N_INVALID with invalid parameters.

    Per-trial parameter arrays, so that one compiled simulator serves both tests.
    """
    m = MODEL3
    # valid (the rest), v <= 0, b <= A, A < 0, t < 0, non-finite
    A = np.full(_N_DRAWS, m["A"])
    b = np.full(_N_DRAWS, m["b"])
    v0 = np.full(_N_DRAWS, m["v"][0])
    t = np.full(_N_DRAWS, m["t"])
    v0[1], A[2], A[3], t[4], b[5] = -1.0, 1.5, -0.1, -0.1, np.nan
    rt, response = sample_racing_diffusion(
        jax.random.key(2024), A, b, (v0, np.full(_N_DRAWS, m["v"][1]), m["v"][2]), t
    )
    return np.asarray(rt), np.asarray(response)


def test_simulator_invalid_parameters_give_nan(draws3):
    rt, response = draws3
    assert np.isnan(rt[1:_N_INVALID]).all()
    assert np.isfinite(rt[_N_INVALID:]).all() and np.isfinite(rt[0])
    assert rt.dtype == response.dtype == np.float64


def test_simulator_matches_density(draws3):
    m = MODEL3
    rt, response = draws3[0][_N_INVALID:], draws3[1][_N_INVALID:]
    n = rt.size
    assert (rt > m["t"]).all()
    assert set(np.unique(response)) <= {0.0, 1.0, 2.0}

    # The conditional distribution of rt - t for each response, from the density
    # integrated on a grid (Simpson on a geometric grid: error < 1e-7, far below the
    # KS resolution 1/sqrt(n) ~ 0.005); its total is P(response = i).
    grid = np.concatenate([[0.0], np.geomspace(1e-3, 30.0, 3000)])
    cdfs = []
    for i in range(3):
        dens = np.concatenate(
            [
                np.exp(logpdf(m["t"] + chunk, float(i), m["A"], m["b"], m["v"], m["t"]))
                for chunk in np.array_split(grid, -(-grid.size // _BATCH))
            ]
        )
        cdfs.append(integrate.cumulative_simpson(dens, x=grid, initial=0.0))
    p = np.array([cdf[-1] for cdf in cdfs])
    assert abs(p.sum() - 1.0) < 1e-6

    # Choice proportions: binomial z-scores; |z| < 4 fails with probability 6e-5 each.
    counts = np.array([(response == i).sum() for i in range(3)])
    z = (counts - n * p) / np.sqrt(n * p * (1 - p))
    assert (np.abs(z) < 4).all(), z

    # Per-choice response times: KS, p > 1e-3.
    for i, cdf in enumerate(cdfs):
        sample = rt[response == i] - m["t"]
        result = stats.kstest(sample, lambda x, cdf=cdf / cdf[-1]: np.interp(x, grid, cdf))
        assert result.pvalue > 1e-3, (i, result)


def test_simulator_float32_large_mean_to_shape_ratio():
    # Two identical accumulators, A = 0: rt - t is the minimum of two inverse
    # Gaussian(mean d / v, shape d**2) times, with mean / shape = 1 / (v d) = 200,
    # where the textbook root mu + mu**2 y / (2 lam) - ... cancels badly in float32.
    d, v, n = 0.1, 0.05, 50_000
    f32 = np.float32
    rt, response = sample_racing_diffusion(
        jax.random.key(7), f32(0.0), f32(d), (f32(v), f32(v)), f32(0.0), shape=(n,)
    )
    rt, response = np.asarray(rt), np.asarray(response)
    assert rt.dtype == response.dtype == np.float32
    assert np.isfinite(rt).all() and (rt > 0).all()
    z = ((response == 0).sum() - n / 2) / np.sqrt(n / 4)
    assert abs(z) < 4, z
    wald = stats.invgauss(mu=(d / v) / d**2, scale=d**2)
    result = stats.kstest(rt.astype(np.float64), lambda x: 1.0 - wald.sf(x) ** 2)
    assert result.pvalue > 1e-3, result
