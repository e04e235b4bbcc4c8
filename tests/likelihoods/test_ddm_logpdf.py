"""ddm_logpdf and ddm_prob_upper against a 40-digit mpmath reference, and invariants."""

from __future__ import annotations

import itertools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from _wiener_reference import ddm_logpdf_ref, prob_upper_ref, standard_density
from hypothesis import given, settings
from hypothesis import strategies as st

from hierax.likelihoods import ddm_logpdf, ddm_prob_upper

T0 = 0.3
# Jitted once per input shape and dtype: eager dispatch of the kernel is slow.
_logpdf = jax.jit(ddm_logpdf)
_grad_sum = jax.jit(
    jax.grad(
        lambda rt, r, v, a, z, t: jnp.sum(ddm_logpdf(rt, r, v, a, z, t)), argnums=(0, 2, 3, 4, 5)
    )
)
GRID = list(
    itertools.product(
        [-5.0, -1.0, 0.0, 2.0, 5.0],  # v
        [0.25, 1.0, 3.0],  # a
        [0.05, 0.5, 0.95],  # z
        [1e-3, 0.05, 0.3, 1.0, 3.0, 10.0],  # rt - t
        [1, -1],  # response
    )
)


_grad_all = jax.jit(jax.value_and_grad(lambda x, r: ddm_logpdf(x[0], r, x[1], x[2], x[3], x[4])))


def _grid_arrays(dtype):
    g = np.array(GRID)
    v, a, z, tau, resp = (g[:, i] for i in range(5))
    rt = (T0 + tau).astype(dtype)
    t = np.full_like(rt, T0)
    return rt, resp.astype(np.int32), v.astype(dtype), a.astype(dtype), z.astype(dtype), t


def _reference(rt, resp, v, a, z, t):
    return np.array(
        [
            ddm_logpdf_ref(*map(float, p[:1]), int(p[1]), *map(float, p[2:]))
            for p in zip(rt, resp, v, a, z, t, strict=True)
        ]
    )


@pytest.fixture(scope="module")
def grid64():
    args = _grid_arrays(np.float64)
    return args, _reference(*args)


def test_reference_series_agree():
    # Both series, summed to convergence, give the same density where both are cheap.
    for u, w in itertools.product([0.05, 0.3, 1.0, 3.0], [1e-4, 0.2, 0.5, 0.9999]):
        small = standard_density(u, w, "small")
        large = standard_density(u, w, "large")
        assert abs(small / large - 1) < 1e-30


def test_float64_accuracy(grid64):
    args, ref = grid64
    got = np.asarray(jax.jit(ddm_logpdf)(*args))
    assert got.dtype == np.float64
    assert np.max(np.abs(got - ref)) <= 1e-10


def test_float32_accuracy():
    args = _grid_arrays(np.float32)
    # Reference at the float32-rounded inputs: input rounding is not the kernel's error.
    ref = _reference(*args)
    got = np.asarray(jax.jit(ddm_logpdf)(*args))
    assert got.dtype == np.float32
    keep = ref > -30
    assert keep.sum() > 300
    assert np.max(np.abs(got[keep] - ref[keep])) <= 1e-4


def test_invalid_and_boundary_give_minus_inf_and_zero_gradient():
    rt = jnp.array([0.3, 0.2, 1.0, 1.0, 1.0, 1.0, 1.0])
    a = jnp.array([1.0, 1.0, 0.0, -1.0, 1.0, 1.0, 1.0])
    z = jnp.array([0.5, 0.5, 0.5, 0.5, 0.0, 1.0, 1.5])
    t = jnp.full(7, 0.3)
    v = jnp.full(7, 0.7)
    resp = jnp.array([1, -1, 1, -1, 1, -1, 1])
    lp = _logpdf(rt, resp, v, a, z, t)
    assert np.all(np.asarray(lp) == -np.inf)
    for g in _grad_sum(rt, resp, v, a, z, t):
        assert np.all(np.asarray(g) == 0.0)


EXTREMES = [
    # rt - t, response, v, a, z
    (1e-6, 1, 0.5, 1.0, 0.5),
    (1e-6, -1, 20.0, 0.25, 0.5),
    (1e-6, 1, -20.0, 3.0, 1e-6),
    (0.5, 1, 20.0, 1.0, 1e-6),
    (0.5, -1, -20.0, 1.0, 1 - 1e-6),
    (0.5, 1, 0.0, 1.0, 1 - 1e-6),
    (0.5, -1, 0.0, 1.0, 1e-6),
    (30.0, 1, 1.0, 0.25, 0.5),
    (1e-3, -1, 5.0, 3.0, 0.95),
    (0.2, 1, 3.0, 0.3, 0.4),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gradients_finite_at_extremes(dtype):
    e = np.array(EXTREMES)
    tau, resp, v, a, z = (e[:, i] for i in range(5))
    t = np.full_like(tau, T0)
    rt = t + tau
    rt, v, a, z, t = (jnp.asarray(x.astype(dtype)) for x in (rt, v, a, z, t))
    lp = _logpdf(rt, resp, v, a, z, t)
    assert np.all(np.isfinite(np.asarray(lp)))
    for g in _grad_sum(rt, resp, v, a, z, t):
        assert g.dtype == dtype
        assert np.all(np.isfinite(np.asarray(g)))


@pytest.mark.parametrize(
    "point",
    [
        (0.8, 1, 0.7, 0.6, 0.4, 0.3),
        (0.35, -1, -1.2, 1.1, 0.8, 0.3),
        (3.3, 1, 2.0, 0.5, 0.2, 0.3),
        (0.31, 1, 0.5, 0.9, 0.93, 0.3),
        (0.62, -1, 4.0, 0.35, 0.15, 0.3),  # u near the series switch
    ],
)
def test_gradients_match_finite_differences(point):
    rt, resp, v, a, z, t = point
    x0 = np.array([rt, v, a, z, t])
    value, grad = _grad_all(jnp.asarray(x0), resp)
    h = 1e-6
    steps = x0 + h * np.vstack([np.eye(5), -np.eye(5)])  # all 10 shifted points at once
    f = np.asarray(_logpdf(steps[:, 0], resp, *(steps[:, i] for i in range(1, 5))))
    fd = (f[:5] - f[5:]) / (2 * h)
    np.testing.assert_allclose(np.asarray(grad), fd, rtol=1e-6, atol=1e-6)


def _integral_over_rt(logpdf, t=T0):
    """int f(rt) drt over rt > t on a log grid of decision times (Simpson, 20001 nodes)."""
    s = np.linspace(np.log(1e-6), np.log(200.0), 20001)
    tau = np.exp(s)
    f = np.exp(np.asarray(logpdf(t + tau))) * tau
    h = s[1] - s[0]
    return h / 3 * (f[0] + f[-1] + 4 * f[1:-1:2].sum() + 2 * f[2:-1:2].sum())


@pytest.mark.parametrize(
    "v,a,z", [(0.0, 1.0, 0.5), (1.5, 0.6, 0.3), (-2.0, 1.5, 0.7), (4.0, 0.3, 0.9)]
)
def test_density_integrates_to_one_and_upper_mass_is_prob_upper(v, a, z):
    upper = _integral_over_rt(lambda rt: _logpdf(rt, 1, v, a, z, T0))
    lower = _integral_over_rt(lambda rt: _logpdf(rt, -1, v, a, z, T0))
    assert upper + lower == pytest.approx(1.0, abs=1e-8)
    assert upper == pytest.approx(float(ddm_prob_upper(v, a, z)), abs=1e-8)


def test_prob_upper_reference_and_extremes():
    pts = np.array(
        list(
            itertools.product(
                [-20.0, -3.0, -1e-9, 0.0, 0.4, 5.0, 20.0], [0.25, 2.0], [1e-6, 0.3, 0.9]
            )
        )
    )
    got = np.asarray(jax.jit(ddm_prob_upper)(pts[:, 0], pts[:, 1], pts[:, 2]))
    ref = np.array([prob_upper_ref(*p) for p in pts])
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-300)
    g = jax.grad(ddm_prob_upper, argnums=(0, 1, 2))(0.0, 1.0, 0.5)
    assert all(np.isfinite(np.asarray(x)) for x in g)
    assert ddm_prob_upper(np.float32(1.0), np.float32(1.0), np.float32(0.5)).dtype == np.float32


def test_dtype_broadcast_jit_vmap():
    rt = jnp.linspace(0.4, 2.0, 6, dtype=jnp.float32)
    f32 = np.float32
    out = _logpdf(rt, 1, f32(0.5), f32(1.0), f32(0.5), f32(0.3))
    assert out.dtype == jnp.float32 and out.shape == (6,)
    out2 = _logpdf(rt[:, None], jnp.array([1, -1]), f32(0.5), f32(1.0), f32(0.5), f32(0.3))
    assert out2.shape == (6, 2)
    np.testing.assert_array_equal(np.asarray(out2[:, 0]), np.asarray(out))
    vm = jax.jit(jax.vmap(ddm_logpdf, in_axes=(0, None, None, None, None, None)))
    np.testing.assert_allclose(
        np.asarray(vm(rt, 1, f32(0.5), f32(1.0), f32(0.5), f32(0.3))), np.asarray(out), rtol=1e-6
    )
    lower = _logpdf(jnp.full(3, 0.8), jnp.array([0, -1, -1]), 0.5, 1.0, 0.5, 0.3)
    assert lower[0] == lower[1]


support = dict(
    tau=st.floats(1e-6, 20.0),
    v=st.floats(-20.0, 20.0),
    a=st.floats(0.1, 4.0),
    z=st.floats(1e-4, 1 - 1e-4),
)


@settings(max_examples=200, deadline=None)
@given(**support)
def test_symmetry_of_boundaries(tau, v, a, z):
    up = _logpdf(T0 + tau, 1, v, a, z, T0)
    low = _logpdf(T0 + tau, -1, -v, a, 1 - z, T0)
    assert float(up) == pytest.approx(float(low), rel=1e-12, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(response=st.sampled_from([1, -1]), **support)
def test_finite_value_and_gradient_in_support(response, tau, v, a, z):
    value, grad = _grad_all(jnp.array([T0 + tau, v, a, z, T0]), response)
    assert np.isfinite(float(value))
    assert np.all(np.isfinite(np.asarray(grad)))
