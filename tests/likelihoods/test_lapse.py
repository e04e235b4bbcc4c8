"""lapse_mixture and uniform_lapse_logpdf."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from hierax.likelihoods import ddm_logpdf, lapse_mixture, uniform_lapse_logpdf

_mix = jax.jit(lapse_mixture)
_mix_grad = jax.jit(jax.grad(lapse_mixture, argnums=(0, 1, 2)))


def test_matches_direct_formula():
    logp = np.array([-1.5, 0.3, -20.0, -700.0])
    p = np.array([0.05, 0.5, 0.01, 0.2])
    lapse = np.array([-3.0, -3.7, -2.0, -1.0])
    direct = np.log((1 - p) * np.exp(logp) + p * np.exp(lapse))
    np.testing.assert_allclose(np.asarray(_mix(logp, p, lapse)), direct, rtol=1e-14)


def test_limits_are_exact():
    logp = jnp.array([-1.234567, -50.0, 2.0])
    lapse = jnp.array([-3.0, -3.0, -3.0])
    np.testing.assert_array_equal(np.asarray(_mix(logp, 0.0, lapse)), np.asarray(logp))
    np.testing.assert_array_equal(np.asarray(_mix(logp, 1.0, lapse)), np.asarray(lapse))
    assert float(_mix(-1.0, 1.5, -3.0)) == -np.inf
    assert float(_mix(-1.0, -0.1, -3.0)) == -np.inf


@pytest.mark.parametrize(
    "logp,p,lapse",
    [(-1.5, 0.0, -3.7), (-jnp.inf, 0.05, -3.7), (-1.5, 1.0, -3.7), (-800.0, 0.3, -3.0)],
)
def test_gradients_finite_and_correct(logp, p, lapse):
    grads = np.asarray(_mix_grad(logp, p, lapse))
    assert np.all(np.isfinite(grads))
    # Analytic: d/dp = (e^lapse - e^logp) / e^out, d/dlogp = (1 - p) e^(logp - out), ...
    out = float(_mix(logp, p, lapse))
    expected = [
        (1 - p) * np.exp(logp - out),
        np.exp(lapse - out) - np.exp(logp - out),
        p * np.exp(lapse - out),
    ]
    np.testing.assert_allclose(grads, expected, rtol=1e-12, atol=1e-300)


def test_gradient_matches_finite_differences_inside():
    x = np.array([-1.2, 0.07, -3.1])
    g = np.asarray(_mix_grad(*x))
    h = 1e-6
    fd = [(float(_mix(*(x + h * e))) - float(_mix(*(x - h * e)))) / (2 * h) for e in np.eye(3)]
    np.testing.assert_allclose(g, fd, rtol=1e-7)


def test_uniform_lapse_is_normalised_over_rt_and_responses():
    rt = jnp.array([-0.1, 0.0, 5.0, 20.0, 20.5])
    out = np.asarray(uniform_lapse_logpdf(rt, 0.0, 20.0, 2))
    assert out[0] == -np.inf and out[-1] == -np.inf
    # density 1/(20 * 2) over rt in [0, 20] and two responses: total mass one
    np.testing.assert_allclose(np.exp(out[1:4]) * 20.0 * 2, 1.0, rtol=1e-15)
    assert uniform_lapse_logpdf(jnp.float32(1.0)).dtype == jnp.float32


def test_mixture_with_ddm_is_normalised():
    """Sum over responses and integral over rt in [0, 20] of the mixed density is one."""
    t, p = 0.3, 0.05
    rt = np.linspace(0.0, 20.0, 200001)
    total = 0.0
    for response in (1, -1):
        ddm = jax.jit(ddm_logpdf)(rt, response, 0.8, 0.7, 0.45, t)
        mixed = np.exp(np.asarray(_mix(ddm, p, uniform_lapse_logpdf(rt))))
        total += (rt[1] - rt[0]) * (mixed.sum() - 0.5 * (mixed[0] + mixed[-1]))  # trapezoid
    # the trapezoid rule on the 1e-4 grid resolves the DDM density to ~1e-7
    assert total == pytest.approx(1.0, abs=1e-6)


def test_float32_preserved():
    f32 = np.float32
    out = _mix(jnp.array([-1.0, -jnp.inf], jnp.float32), f32(0.05), f32(-3.7))
    assert out.dtype == jnp.float32 and np.all(np.isfinite(np.asarray(out)))
