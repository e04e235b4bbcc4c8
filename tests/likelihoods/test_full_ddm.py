"""full_ddm_logpdf against adaptive quadrature (scipy) and its limits."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import integrate

from hierax.likelihoods import ddm_sdv_logpdf, full_ddm_logpdf

_full = jax.jit(full_ddm_logpdf)
_sdv = jax.jit(ddm_sdv_logpdf)

# rt, response, v, a, z, t, sv, sz, st: response times before, inside and after the
# non-decision-time window, narrow and wide boundaries, start points near the edges.
POINTS = [
    (0.8, 1, 0.5, 1.0, 0.5, 0.3, 1.0, 0.2, 0.2),
    (0.35, -1, 1.5, 0.5, 0.4, 0.3, 0.5, 0.4, 0.3),
    (0.32, 1, -1.0, 0.4, 0.6, 0.3, 0.2, 0.5, 0.3),
    (0.45, 1, 2.0, 0.3, 0.7, 0.3, 1.0, 0.5, 0.3),
    (0.2, 1, 2.0, 0.25, 0.5, 0.3, 1.0, 0.9, 0.3),
]
# Max abs error of the log density, default nodes, measured 6e-9 on these points.
TOLERANCE = 2e-8


def _adaptive_reference(rt, response, v, a, z, t, sv, sz, st):
    def integrand(tp, zp):
        return float(np.exp(_sdv(rt, response, v, a, zp, tp, sv)))

    value, _ = integrate.dblquad(
        integrand, z - sz / 2, z + sz / 2, t - st / 2, min(t + st / 2, rt), epsabs=0, epsrel=1e-11
    )
    return np.log(value / (sz * st))


@pytest.mark.parametrize("point", POINTS)
def test_matches_adaptive_quadrature(point):
    got = float(_full(*point))
    assert got == pytest.approx(_adaptive_reference(*point), abs=TOLERANCE)


def test_zero_widths_reduce_exactly():
    rt = jnp.array([0.5, 0.9, 2.0])
    resp = jnp.array([1, -1, 1])
    base = (rt, resp, 0.6, 0.9, 0.45, 0.3, 0.7)
    np.testing.assert_array_equal(np.asarray(_full(*base, 0.0, 0.0)), np.asarray(_sdv(*base)))
    # st = 0 alone: the z integral of ddm_sdv
    only_z = np.asarray(_full(*base, 0.3, 0.0))
    x, w = np.polynomial.legendre.leggauss(40)
    zs = 0.45 + 0.15 * x
    dens = sum(
        wi / 2 * np.exp(np.asarray(_sdv(rt, resp, 0.6, 0.9, zi, 0.3, 0.7)))
        for wi, zi in zip(w, zs, strict=True)
    )
    np.testing.assert_allclose(only_z, np.log(dens), atol=1e-12)


def test_gradients_finite_including_zero_widths():
    grad = jax.jit(jax.grad(lambda x: jnp.sum(full_ddm_logpdf(x[0], 1, *x[1:]))))
    for x in (
        [0.8, 0.5, 1.0, 0.5, 0.3, 1.0, 0.0, 0.0],
        [0.8, 0.5, 1.0, 0.5, 0.3, 0.0, 0.2, 0.2],
        [0.31, 2.0, 0.5, 0.5, 0.3, 1.0, 0.2, 0.3],
    ):
        g = np.asarray(grad(jnp.array(x)))
        assert np.all(np.isfinite(g))


def test_outside_support_is_minus_inf_without_nan():
    rt = jnp.array([0.1, 0.8, 0.8, 0.8])
    sz = jnp.array([0.2, 1.2, -0.1, 0.2])
    st = jnp.array([0.2, 0.2, 0.2, -0.1])
    out = np.asarray(_full(rt, 1, 0.5, 1.0, 0.5, 0.3, 1.0, sz, st))
    assert np.all(out == -np.inf)
    grad = jax.jit(
        jax.grad(lambda s: jnp.sum(full_ddm_logpdf(rt, 1, 0.5, 1.0, 0.5, 0.3, 1.0, s, st)))
    )
    g = grad(sz)
    assert np.all(np.asarray(g) == 0.0)


def test_normalised():
    s = np.linspace(np.log(1e-6), np.log(100.0), 8001)
    tau = np.exp(s)
    t, st = 0.3, 0.25
    rt = t - st / 2 + tau  # the density starts at rt = t - st/2
    total = 0.0
    for response in (1, -1):
        f = np.exp(np.asarray(_full(rt, response, 0.8, 0.7, 0.45, t, 1.0, 0.3, st))) * tau
        h = s[1] - s[0]
        total += h / 3 * (f[0] + f[-1] + 4 * f[1:-1:2].sum() + 2 * f[2:-1:2].sum())
    assert total == pytest.approx(1.0, abs=1e-6)


def test_float32_preserved():
    f32 = np.float32
    args = [f32(x) for x in (0.8, 0.5, 1.0, 0.5, 0.3, 1.0, 0.2, 0.2)]
    out = _full(args[0], 1, *args[1:])
    assert out.dtype == jnp.float32
    assert float(out) == pytest.approx(float(_full(*POINTS[0])), abs=1e-4)
