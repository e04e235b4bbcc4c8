"""Tests of the exact DDM simulators against an independent numerical reference.

The reference below shares no code with :mod:`hierax.simulators`: it evaluates
the first-passage *density* with the Navarro & Fuss (2009) series (more terms
and a different switch point than the sampler), integrates it numerically
(Simpson's rule on a fine geometric grid) into the CDF, averages over the
trial-to-trial variability numerically (trapezoid rule in the drift,
Gauss-Legendre in the start point, exact convolution with the uniform
non-decision time through the antiderivative of the CDF), and inverts the CDF
by interpolation. Statistical checks use fixed seeds and tolerances of
``_Z_MAX`` standard errors: binomial for choice probabilities, and
``sqrt(p (1 - p) / n) / f(q)`` for a sample quantile ``q`` of ``n`` draws
with conditional density ``f``.
"""

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest
from scipy.integrate import cumulative_simpson

from hierax import get_family, simulate_data
from hierax.simulators import sample_ddm

# Standard errors allowed per comparison. About 90 comparisons are made; at
# 4.5 SE the chance that any one of them fails for a correct sampler is ~1e-3.
_Z_MAX = 4.5
_QUANTILES = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
# Responses with fewer draws than this get no quantile check (choice only).
_MIN_DRAWS_FOR_QUANTILES = 1000
_N_DRAWS = 50_000

# (v, a, z, t, sv, sz, st)
SETTINGS = {
    "ddm": (0.8, 1.0, 0.5, 0.3, 0.0, 0.0, 0.0),
    "ddm_negative_drift": (-1.5, 0.6, 0.3, 0.2, 0.0, 0.0, 0.0),
    "ddm_zero_drift_wide_extreme_start": (0.0, 3.0, 0.05, 0.0, 0.0, 0.0, 0.0),
    "ddm_extreme_drift": (-10.0, 3.0, 0.95, 0.1, 0.0, 0.0, 0.0),
    "ddm_narrow_fast": (10.0, 0.25, 0.2, 0.3, 0.0, 0.0, 0.0),
    "ddm_sdv": (1.0, 1.2, 0.6, 0.25, 1.5, 0.0, 0.0),
    "full_ddm": (0.5, 1.0, 0.45, 0.4, 0.8, 0.3, 0.2),
    "full_ddm_extreme": (-3.0, 2.0, 0.8, 0.5, 2.0, 0.3, 0.9),
}


# --------------------------------------------------------------------------
# Independent reference (numpy / scipy)
# --------------------------------------------------------------------------


def _unit_density(u, w):
    """Driftless first-passage density at 0 for unit separation (Navarro & Fuss, 2009).

    Small-time series with images k = -10..10 below u = 1, large-time series
    with 40 terms above: both truncation errors are far below 1e-30 there.
    """
    u, w = np.broadcast_arrays(np.asarray(u, float), np.asarray(w, float))
    out = np.zeros(u.shape)
    small = (u > 0) & (u < 1.0)
    us, ws = u[small][..., None], w[small][..., None]
    c = ws + 2.0 * np.arange(-10, 11)
    out[small] = np.sum(c * np.exp(-(c**2) / (2 * us)), axis=-1) / np.sqrt(
        2 * np.pi * us[..., 0] ** 3
    )
    large = u >= 1.0
    ul, wl = u[large][..., None], w[large][..., None]
    k = np.arange(1, 41)
    out[large] = np.pi * np.sum(
        k * np.exp(-(k**2) * np.pi**2 * ul / 2) * np.sin(k * np.pi * wl), axis=-1
    )
    return out


def _drift_factor(tau, x, v, sv):
    """E_v[exp(-v x - v^2 tau / 2)] for v ~ Normal(v, sv), by the trapezoid rule.

    The Girsanov factor that turns the driftless density at the lower boundary
    into the one with drift v (start at distance x); sv = 0 is the plain factor.
    """
    if sv == 0:
        return np.exp(-v * x - v * v * tau / 2)
    y = np.linspace(-12.0, 12.0, 481)
    drift = v + sv * y
    log_terms = -0.5 * y**2 - drift * x[..., None] - drift**2 * tau[..., None] / 2
    return np.trapezoid(np.exp(log_terms), y, axis=-1) / np.sqrt(2 * np.pi)


def _reference(v, a, z, t, sv, sz, st, response):
    """Reference distribution of rt for one response: (total probability, cdf, pdf) on a grid.

    Returns ``(prob, x, cdf, pdf)``: the probability of the response, a grid of
    response times, the defective CDF and the defective density on it.
    """
    separation = 2.0 * a
    if response == 1:  # upper boundary: mirror the process
        v, z = -v, 1.0 - z
    # Geometric grid tau = tau0 (exp(alpha s) - 1), s in [0, 1]: relative spacing
    # alpha / n ~ 0.2 %; up to 6 A^2, where the survival function is < 1e-12.
    n, tau0 = 4001, 1e-3 * separation**2
    alpha = np.log1p(6.0 * separation**2 / tau0)
    s = np.linspace(0.0, 1.0, n)
    tau = tau0 * np.expm1(alpha * s)
    dtau_ds = alpha * (tau + tau0)
    if sz > 0:
        w_nodes, w_weights = np.polynomial.legendre.leggauss(10)
        w_nodes, w_weights = z + sz / 2 * w_nodes, w_weights / 2
    else:
        w_nodes, w_weights = np.array([z]), np.array([1.0])
    density = np.zeros(n)
    for w, weight in zip(w_nodes, w_weights, strict=True):
        x = np.full(n, separation * w)
        base = _unit_density(tau / separation**2, w) / separation**2
        density += weight * base * _drift_factor(tau, x, v, sv)
    cdf = cumulative_simpson(density * dtau_ds, x=s, initial=0.0)
    prob = cdf[-1]
    if st == 0:
        return prob, t + tau, cdf, density
    # Uniform non-decision time: F(x) = (H(x - t + st/2) - H(x - t - st/2)) / st
    # with H the antiderivative of the decision-time CDF.
    antiderivative = cumulative_simpson(cdf * dtau_ds, x=s, initial=0.0)
    x = np.concatenate([t - st / 2 + tau, t + st / 2 + tau])
    x = np.unique(x)

    def shifted(values, offset):
        return np.interp(x - offset, tau, values, left=0.0, right=np.nan)

    shortest, longest = t - st / 2, t + st / 2
    cdf_rt = (shifted(antiderivative, shortest) - shifted(antiderivative, longest)) / st
    pdf_rt = (shifted(cdf, shortest) - shifted(cdf, longest)) / st
    keep = np.isfinite(cdf_rt)
    return prob, x[keep], cdf_rt[keep], pdf_rt[keep]


def _reference_quantiles(prob, x, cdf, pdf, quantiles):
    """Conditional quantiles and conditional densities there."""
    conditional = cdf / prob
    q = np.interp(quantiles, conditional, x)
    return q, np.interp(q, x, pdf) / prob


# --------------------------------------------------------------------------
# Reference self-checks
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("v", "a", "z"), [(0.8, 1.0, 0.5), (-10.0, 3.0, 0.95), (0.0, 3.0, 0.05)])
def test_reference_matches_closed_form_choice_probability(v, a, z):
    separation = 2 * a
    expected_upper = (
        z if v == 0 else np.expm1(-2 * v * separation * z) / np.expm1(-2 * v * separation)
    )
    upper = _reference(v, a, z, 0.0, 0.0, 0.0, 0.0, 1)[0]
    lower = _reference(v, a, z, 0.0, 0.0, 0.0, 0.0, -1)[0]
    assert upper == pytest.approx(expected_upper, abs=1e-9)
    assert upper + lower == pytest.approx(1.0, abs=1e-9)


def test_reference_sv_factor_matches_closed_form():
    tau, x = np.array([0.05, 0.5, 3.0, 30.0]), np.array([0.3, 1.0, 2.0, 4.0])
    v, sv = -2.0, 1.5
    closed = np.exp((sv**2 * x**2 - 2 * v * x - v**2 * tau) / (2 * (1 + sv**2 * tau)))
    closed /= np.sqrt(1 + sv**2 * tau)
    np.testing.assert_allclose(_drift_factor(tau, x, v, sv), closed, rtol=1e-10)


@pytest.fixture(scope="module")
def conditional_time():
    """The sampler's inverse conditional CDF, compiled once."""
    from hierax.simulators._first_passage import sample_conditional_time

    return jax.jit(sample_conditional_time)


@pytest.mark.parametrize(
    ("m", "w"), [(0.0, 0.5), (0.0, 0.02), (3.0, 0.3), (3.0, 0.97), (60.0, 0.95), (60.0, 0.05)]
)
def test_decision_time_inversion_is_exact(conditional_time, m, w):
    """The sampler's decision time for given uniform numbers, against quadrature.

    Normalised units (unit separation, drift m towards the boundary at
    distance w): the reference conditional CDF at the returned time must equal
    the uniform number to ~1e-10, far beyond what Monte Carlo could resolve.
    """
    from scipy.integrate import quad

    def density(u):
        return np.exp(m * w - m * m * u / 2) * _unit_density(u, w)

    def integral(upper):
        mode = w / m if m else w * w / 3  # a break point near the peak helps quad
        if upper <= mode:
            return quad(density, 0, upper, epsabs=0)[0]
        return quad(density, 0, mode, epsabs=0)[0] + quad(density, mode, upper, epsabs=0)[0]

    r = np.array([1e-6, 0.1, 0.5, 0.9, 1 - 1e-6])
    u = np.asarray(conditional_time(jnp.asarray(r), jnp.full(5, m), jnp.full(5, w)))
    cdf = np.array([integral(ui) for ui in u]) / integral(np.inf)
    np.testing.assert_allclose(cdf, r, rtol=1e-9, atol=1e-12)


# --------------------------------------------------------------------------
# Distribution of the draws
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def draws():
    """All settings in one call: per-row parameters, _N_DRAWS draws per row."""
    values = np.array(list(SETTINGS.values()))
    theta = dict(zip(get_family("full_ddm").param_names, values.T, strict=True))
    data = simulate_data("full_ddm", theta, size=_N_DRAWS, seed=20240611)
    return {name: data.iloc[i * _N_DRAWS : (i + 1) * _N_DRAWS] for i, name in enumerate(SETTINGS)}


def _deviations(params, rt, response):
    """Deviations of choice share and quantiles from the reference, in standard errors."""
    out = {}
    n = rt.size
    for r in (1, -1):
        prob, x, cdf, pdf = _reference(*params, r)
        chosen = rt[response == r]
        share = chosen.size / n
        out[f"P({r})"] = (share - prob) / np.sqrt(prob * (1 - prob) / n)
        if chosen.size < _MIN_DRAWS_FOR_QUANTILES:
            continue
        q, f = _reference_quantiles(prob, x, cdf, pdf, _QUANTILES)
        se = np.sqrt(_QUANTILES * (1 - _QUANTILES) / chosen.size) / f
        sample_q = np.quantile(chosen, _QUANTILES)
        for p, dev in zip(_QUANTILES, (sample_q - q) / se, strict=True):
            out[f"q{p:.1f}({r})"] = dev
    return out


@pytest.mark.parametrize("name", list(SETTINGS))
def test_choice_and_quantiles_match_reference(draws, name):
    data = draws[name]
    deviations = _deviations(SETTINGS[name], data["rt"].to_numpy(), data["response"].to_numpy())
    worst = max(deviations, key=lambda key: abs(deviations[key]))
    assert abs(deviations[worst]) < _Z_MAX, f"{name}: {worst} off by {deviations[worst]:.2f} SE"
    assert len(deviations) >= 7  # choice for both responses and quantiles for at least one


def test_float32_draws_match_reference():
    params = SETTINGS["ddm_sdv"]
    args = [jnp.asarray(p, jnp.float32) for p in params]
    rt, response = sample_ddm(jax.random.key(7), *args, shape=(_N_DRAWS,))
    assert rt.dtype == jnp.float32 and response.dtype == jnp.float32
    assert bool(jnp.isfinite(rt).all())
    deviations = _deviations(params, np.asarray(rt, float), np.asarray(response, float))
    assert max(abs(d) for d in deviations.values()) < _Z_MAX, deviations


# --------------------------------------------------------------------------
# Extreme values, JAX transformations, reproducibility
# --------------------------------------------------------------------------


def _extreme_theta():
    grid = np.array(np.meshgrid([-10.0, 10.0], [0.25, 3.0], [0.05, 0.95])).reshape(3, -1)
    return {"v": grid[0], "a": grid[1], "z": grid[2], "t": 0.1}


def test_extreme_parameters_give_finite_draws():
    data = simulate_data("ddm", _extreme_theta(), size=8, seed=3)
    assert len(data) == 64
    assert np.isfinite(data["rt"]).all() and (data["rt"] > 0.1).all()
    assert set(data["response"]) <= {-1.0, 1.0}


def test_same_seed_same_data_other_seed_other_data():
    first = simulate_data("ddm", _extreme_theta(), size=8, seed=11)
    pd.testing.assert_frame_equal(first, simulate_data("ddm", _extreme_theta(), size=8, seed=11))
    assert not first.equals(simulate_data("ddm", _extreme_theta(), size=8, seed=12))


def test_per_row_parameters_repeat_rows_in_order():
    theta = {"v": np.repeat([-10.0, 10.0], 4), "a": 0.5, "z": 0.5, "t": 0.1, "sv": 0.0}
    data = simulate_data("ddm_sdv", theta, size=8, seed=0)
    # a drift of -10 over a separation of 1 essentially always hits the lower boundary
    assert (data["response"].iloc[:32] == -1.0).all() and (data["response"].iloc[32:] == 1.0).all()


def test_jit_and_vmap_agree_with_plain_calls_and_invalid_parameters_give_nan():
    keys = jax.random.split(jax.random.key(5), 3)
    drifts = jnp.array([-1.0, 0.0, 2.0])
    half_separations = jnp.array([1.0, -1.0, 0.7])  # the second is invalid

    def one(key, v, a):
        # The same call signature as simulate_data(..., size=64): one compiled sampler.
        params = {"v": v, "a": a, "z": 0.5, "t": 0.3, "sv": 0.5, "sz": 0.2, "st": 0.1}
        return sample_ddm(
            key,
            **{k: jnp.broadcast_to(jnp.asarray(x, jnp.float64), (64,)) for k, x in params.items()},
        )

    batched_rt, batched_response = jax.jit(jax.vmap(one))(keys, drifts, half_separations)
    for i in range(3):
        rt, response = one(keys[i], drifts[i], half_separations[i])
        np.testing.assert_allclose(batched_rt[i], rt, rtol=1e-12)
        np.testing.assert_array_equal(batched_response[i], response)
    assert np.isnan(batched_rt[1]).all()
    assert np.isfinite(batched_rt[::2]).all() and (batched_rt[::2] > 0.25).all()


# --------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------

_DDM = {"v": 1.0, "a": 1.0, "z": 0.5, "t": 0.3}
_FULL = {**_DDM, "sv": 0.1, "sz": 0.1, "st": 0.1}


@pytest.mark.parametrize(
    ("model", "theta", "size", "match"),
    [
        ("lba", _DDM, 10, r"Unknown model 'lba'.*ddm, ddm_sdv, full_ddm"),
        ("ddm", {"v": 1.0, "a": 1.0, "z": 0.5}, 10, r"missing \['t'\]"),
        ("ddm", {**_DDM, "sv": 0.1}, 10, r"unknown \['sv'\].*\['v', 'a', 'z', 't'\]"),
        ("ddm", {**_DDM, "z": 1.0}, 10, r"'z' must be in \(0, 1\); got 1.0"),
        ("ddm", {**_DDM, "z": [0.5, 0.0]}, 10, r"'z' must be in \(0, 1\); got 0.0 at row 1"),
        ("ddm", {**_DDM, "a": 0.0}, 10, r"'a' must be > 0; got 0.0"),
        ("ddm", {**_DDM, "t": -0.1}, 10, r"'t' must be >= 0; got -0.1"),
        ("ddm", {**_DDM, "v": np.inf}, 10, r"'v' must be finite; got inf"),
        ("ddm", {**_DDM, "v": [1.0, np.nan]}, 10, r"'v' must be finite; got nan at row 1"),
        ("ddm", {**_DDM, "v": "fast"}, 10, r"'v' must be numeric"),
        ("ddm", {**_DDM, "v": [[1.0]]}, 10, r"'v' must be a scalar or a 1-d array"),
        ("ddm", {**_DDM, "v": [1.0, 2.0], "a": [1.0, 1.0, 1.0]}, 10, r"same length"),
        ("ddm_sdv", {**_DDM, "sv": -0.5}, 10, r"'sv' must be >= 0; got -0.5"),
        ("full_ddm", {**_FULL, "sz": 1.2}, 10, r"'sz' must be in \[0, 1\); got 1.2"),
        ("full_ddm", {**_FULL, "z": 0.9, "sz": 0.3}, 10, r"z - sz/2 > 0.*z=0.9.*sz=0.3"),
        ("full_ddm", {**_FULL, "st": 0.7}, 10, r"st <= 2 t.*t=0.3.*st=0.7"),
        ("full_ddm", {**_FULL, "st": -0.1}, 10, r"'st' must be >= 0"),
        ("ddm", _DDM, 0, r"size must be a positive integer or None, got 0"),
        ("ddm", _DDM, 2.5, r"size must be a positive integer or None, got 2.5"),
        ("ddm", _DDM, True, r"size must be a positive integer"),
    ],
)
def test_bad_input_raises_value_error_naming_it(model, theta, size, match):
    with pytest.raises(ValueError, match=match):
        simulate_data(model, theta, size=size)


def test_family_parameter_tables():
    assert {name: get_family(name).param_names for name in ("ddm", "ddm_sdv", "full_ddm")} == {
        "ddm": ("v", "a", "z", "t"),
        "ddm_sdv": ("v", "a", "z", "t", "sv"),
        "full_ddm": ("v", "a", "z", "t", "sv", "sz", "st"),
    }
