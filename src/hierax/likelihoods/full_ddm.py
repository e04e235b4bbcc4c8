"""Full DDM: drift, start-point and non-decision-time variability across trials."""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from hierax.likelihoods.ddm import _as_float_arrays
from hierax.likelihoods.ddm_sdv import ddm_sdv_logpdf

__all__ = ["full_ddm_logpdf"]

# Gauss-Legendre nodes over the start-point and non-decision-time distributions. Against
# adaptive quadrature (scipy.integrate.dblquad, relative tolerance 1e-12) the log density
# is accurate to about 1e-8 (tests/likelihoods/test_full_ddm.py); (8, 16) nodes give 1e-6,
# (8, 24) give 1e-9. The z integrand is analytic in z; the t' integrand is smooth in
# log(rt - t') (see below).
N_Z_NODES = 6
N_T_NODES = 20
# Lower cut of the t' integral, in units of the onset scale c = (w A)^2 / 2 of the density:
# below tau = c / 46 the integrand is below exp(-46) = 1e-20 of its peak.
_ONSET_CUT = 46.0


@functools.cache
def _unit_gauss_legendre(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes on (-1/2, 1/2) and weights summing to one (host-side, cached)."""
    x, w = np.polynomial.legendre.leggauss(n)
    return 0.5 * x, 0.5 * w


def _log_mean(log_values: jax.Array, log_weights: jax.Array, axes: tuple[int, ...]) -> jax.Array:
    """``log sum_i exp(log_weights_i + log_values_i)`` for weights summing to one.

    Written as ``m + log1p(sum_i w_i expm1(l_i - m))`` (using ``sum_i w_i = 1``), so that
    equal values return that value exactly: this is what makes ``sz = 0`` and ``st = 0``
    reduce exactly to the lower-dimensional models.
    """
    m = jax.lax.stop_gradient(jnp.max(log_values, axis=axes, keepdims=True))
    finite = m > -jnp.inf
    m_s = jnp.where(finite, m, 0.0)
    diff = jnp.where(finite, log_values - m_s, 0.0)
    s = jnp.sum(jnp.exp(log_weights) * jnp.expm1(diff), axis=axes, keepdims=True)
    out = jnp.where(finite, m_s + jnp.log1p(s), -jnp.inf)
    return jnp.squeeze(out, axis=axes)


def full_ddm_logpdf(
    rt: ArrayLike,
    response: ArrayLike,
    v: ArrayLike,
    a: ArrayLike,
    z: ArrayLike,
    t: ArrayLike,
    sv: ArrayLike,
    sz: ArrayLike,
    st: ArrayLike,
    *,
    n_z: int = N_Z_NODES,
    n_t: int = N_T_NODES,
) -> jax.Array:
    r"""Log density of the full DDM (Ratcliff's diffusion model).

    Across trials the drift is ``Normal(v, sv)``, the relative start point is
    ``Uniform(z - sz/2, z + sz/2)`` and the non-decision time is
    ``Uniform(t - st/2, t + st/2)``: HDDM's convention (widths ``sz``, ``st`` centred on
    ``z``, ``t``; ``sz`` on the relative scale of ``z``), which HSSM inherits. The other
    parameters and the response coding are those of
    :func:`hierax.likelihoods.ddm_logpdf` (``a`` is half the boundary separation).

    .. math::

        f(rt) = \frac{1}{s_z s_t} \int_{z - s_z/2}^{z + s_z/2}
            \int_{t - s_t/2}^{t + s_t/2} f_{s_v}(rt \mid v, a, z', t', s_v)\, dt'\, dz'

    with :func:`ddm_sdv_logpdf` inside. The drift integral is closed-form; the two
    uniform integrals use fixed Gauss-Legendre rules (``n_z`` x ``n_t`` evaluations),
    which keeps the function differentiable and branch-free. The ``t'`` integral runs
    only over ``t' < rt`` (the integrand is zero beyond) and in the variable
    ``log(rt - t')``, in which the sharp onset of the density at small decision times
    is a smooth bump. ``sz = 0`` and ``st = 0`` reduce exactly to the
    lower-dimensional models. Against adaptive quadrature (``scipy.integrate.dblquad``,
    ``tests/likelihoods/test_full_ddm.py``) the absolute error of the log density with
    the default nodes is below 1e-8 for ``a >= 0.25``, ``sz <= 0.9``, ``st <= 0.3``,
    including response times inside the non-decision-time window.

    Parameters
    ----------
    rt
        Response time in seconds; log density ``-inf`` for ``rt <= t - st/2``.
    response
        ``1`` upper boundary, ``-1`` or ``0`` lower boundary.
    v
        Mean drift rate, real.
    a
        Half the boundary separation, ``a > 0``.
    z
        Mean relative start point, with ``0 < z - sz/2`` and ``z + sz/2 < 1``.
    t
        Mean non-decision time in seconds.
    sv
        Standard deviation of the drift, ``sv >= 0``.
    sz
        Width of the uniform start-point distribution (relative scale), ``sz >= 0``.
    st
        Width of the uniform non-decision-time distribution, ``st >= 0``.
    n_z, n_t
        Number of Gauss-Legendre nodes for the start point and the non-decision time.

    All array arguments broadcast together; floating dtypes are preserved.

    Returns
    -------
    jax.Array
        Log density over (rt, response), broadcast shape; ``-inf`` with zero gradient
        outside the support.

    Examples
    --------
    >>> from hierax.likelihoods import ddm_sdv_logpdf, full_ddm_logpdf
    >>> round(float(full_ddm_logpdf(0.8, 1, 0.5, 1.0, 0.5, 0.3, 1.0, 0.2, 0.2)), 4)
    -0.4707
    >>> args = (0.8, 1, 0.5, 1.0, 0.5, 0.3, 1.0)
    >>> bool(full_ddm_logpdf(*args, 0.0, 0.0) == ddm_sdv_logpdf(*args))
    True
    """
    rt, v, a, z, t, sv, sz, st = _as_float_arrays(rt, v, a, z, t, sv, sz, st)
    response = jnp.asarray(response)
    rt, response, v, a, z, t, sv, sz, st = jnp.broadcast_arrays(
        rt, response, v, a, z, t, sv, sz, st
    )
    dtype = rt.dtype
    upper = response > 0
    z_lo, z_hi = z - 0.5 * sz, z + 0.5 * sz
    tau_hi = rt - t + 0.5 * st  # decision times tau = rt - t' over the t' window
    valid = (sz >= 0) & (st >= 0) & (z > 0) & (z < 1) & (z_lo >= 0) & (z_hi <= 1) & (tau_hi > 0)
    has_st = valid & (st > 0)
    # Double-where: invalid trials are evaluated at a harmless point, then replaced.
    sz_s = jnp.where(valid, sz, 0.0)
    st_s = jnp.where(has_st, st, 1.0)
    z_s = jnp.where(valid, z, 0.5)
    tau_hi_s = jnp.where(valid, tau_hi, 1.0)
    tau_lo = jnp.maximum(tau_hi_s - st_s, 0.0)

    xz, wz = (jnp.asarray(c, dtype) for c in _unit_gauss_legendre(n_z))
    xt, wt = (jnp.asarray(c, dtype) for c in _unit_gauss_legendre(n_t))
    expand = (..., None, None)
    z_nodes = z_s[expand] + sz_s[expand] * xz[:, None]  # (..., n_z, 1)
    # The t' integral is taken over s = log(tau): near tau = 0 the density behaves like
    # tau^-1.5 exp(-c/tau), c = (w A)^2 / 2, a sharp onset in tau but a smooth bump of
    # width O(1) in log(tau). Below tau = c / _ONSET_CUT (and below half the window) the
    # integrand is under exp(-_ONSET_CUT) of its peak and is left out.
    w_near = jnp.where(upper[expand], 1.0 - z_nodes, z_nodes)
    A = jnp.where(valid, 2.0 * a, 1.0)[expand]
    tau_cut = jnp.minimum(0.5 * (w_near * A) ** 2 / _ONSET_CUT, 0.5 * tau_hi_s[expand])
    s_hi = jnp.log(tau_hi_s)[expand]
    s_lo = jnp.log(jnp.maximum(tau_lo[expand], tau_cut))
    width = s_hi - s_lo
    s_nodes = s_lo + width * (0.5 + xt[None, :])  # (..., n_z, n_t)
    tau_nodes = jnp.where(has_st[expand], jnp.exp(s_nodes), (rt - t)[expand])
    tau_nodes = jnp.where(valid[expand], tau_nodes, 1.0)
    # Jacobian d tau = tau ds, and the uniform density 1/st of t'.
    log_jac = jnp.where(has_st[expand], jnp.log(width) + s_nodes - jnp.log(st_s)[expand], 0.0)
    log_f = ddm_sdv_logpdf(
        tau_nodes, response[expand], v[expand], a[expand], z_nodes, 0.0, sv[expand]
    )
    log_w = jnp.log(wz)[:, None] + jnp.log(wt)[None, :]
    out = _log_mean(log_f + log_jac, log_w, axes=(-2, -1))
    return jnp.where(valid, out, -jnp.inf)
