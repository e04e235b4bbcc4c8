"""ddm_sdv_logpdf against numerical integration of ddm_logpdf over the drift."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from hierax.likelihoods import ddm_logpdf, ddm_prob_upper, ddm_sdv_logpdf

T0 = 0.3
_sdv = jax.jit(ddm_sdv_logpdf)
_ddm = jax.jit(ddm_logpdf)
# Gauss-Hermite nodes for E_{v ~ Normal(mu, sv)}: the integrand exp(-v A w - v^2 tau / 2)
# is entire in v, so 120 nodes are exact to rounding for the sv used here.
_GH_X, _GH_W = np.polynomial.hermite_e.hermegauss(120)
_GH_W = _GH_W / _GH_W.sum()


def _drift_average(fun, v, sv):
    """E_{v' ~ Normal(v, sv)}[fun(v')] for fun returning an array (nodes on axis 0)."""
    vals = fun(v + sv * _GH_X[:, None])
    return np.tensordot(_GH_W, vals, axes=1)


POINTS = [
    # rt - t, v, a, z, sv
    (0.05, 0.5, 1.0, 0.5, 1.0),
    (0.4, -1.0, 0.6, 0.3, 0.5),
    (1.5, 2.0, 1.5, 0.7, 2.0),
    (0.01, 3.0, 0.3, 0.9, 1.5),
    (5.0, -0.5, 2.0, 0.2, 0.8),
]


@pytest.mark.parametrize("response", [1, -1])
def test_matches_numerical_integration_over_drift(response):
    p = np.array(POINTS)
    tau, v, a, z, sv = (p[:, i] for i in range(5))
    got = np.asarray(_sdv(T0 + tau, response, v, a, z, T0, sv))
    dens = _drift_average(
        lambda vv: np.exp(np.asarray(_ddm(T0 + tau, response, vv, a, z, T0))), v, sv
    )
    np.testing.assert_allclose(got, np.log(dens), rtol=0, atol=1e-10)


def test_sv_zero_is_ddm_and_gradients_finite():
    rt = jnp.array([0.31, 0.8, 2.0, 0.9])
    resp = jnp.array([1, -1, 1, -1])
    args = (rt, resp, 0.7, 0.8, 0.45, T0)
    np.testing.assert_allclose(np.asarray(_sdv(*args, 0.0)), np.asarray(_ddm(*args)), rtol=1e-15)
    grad = jax.jit(
        jax.grad(lambda v, sv: jnp.sum(ddm_sdv_logpdf(rt, resp, v, 0.8, 0.45, T0, sv)), (0, 1))
    )
    g_v, g_sv = grad(0.7, 0.0)
    assert np.isfinite(float(g_v)) and float(g_sv) == 0.0


def test_outside_support():
    out = _sdv(jnp.array([0.8, 0.2, 0.8]), 1, 0.5, 1.0, 0.5, T0, jnp.array([-0.1, 1.0, 1.0]))
    assert np.all(np.asarray(out)[:2] == -np.inf) and np.isfinite(float(out[2]))
    g = jax.jit(jax.grad(lambda sv: ddm_sdv_logpdf(0.8, 1, 0.5, 1.0, 0.5, T0, sv)))(-0.1)
    assert float(g) == 0.0


def _integral_over_rt(logpdf):
    s = np.linspace(np.log(1e-6), np.log(300.0), 20001)
    tau = np.exp(s)
    f = np.exp(np.asarray(logpdf(T0 + tau))) * tau
    h = s[1] - s[0]
    return h / 3 * (f[0] + f[-1] + 4 * f[1:-1:2].sum() + 2 * f[2:-1:2].sum())


@pytest.mark.parametrize("v,a,z,sv", [(0.5, 1.0, 0.5, 1.0), (-2.0, 0.6, 0.3, 2.5)])
def test_normalised_and_upper_mass(v, a, z, sv):
    upper = _integral_over_rt(lambda rt: _sdv(rt, 1, v, a, z, T0, sv))
    lower = _integral_over_rt(lambda rt: _sdv(rt, -1, v, a, z, T0, sv))
    assert upper + lower == pytest.approx(1.0, abs=1e-8)
    p_up = _drift_average(lambda vv: np.asarray(ddm_prob_upper(vv, a, z)), v, sv)
    assert upper == pytest.approx(float(np.squeeze(p_up)), abs=1e-8)


def test_float32_preserved():
    f32 = np.float32
    out = _sdv(
        jnp.array([0.5, 0.9], jnp.float32), 1, f32(0.5), f32(1.0), f32(0.5), f32(T0), f32(1.0)
    )
    ref = _sdv(jnp.array([0.5, 0.9]), 1, 0.5, 1.0, 0.5, f32(T0).item(), 1.0)
    assert out.dtype == jnp.float32
    np.testing.assert_allclose(np.asarray(out), np.asarray(ref), atol=1e-5)
