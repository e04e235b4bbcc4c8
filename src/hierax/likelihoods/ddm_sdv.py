"""DDM with across-trial drift variability, integrated in closed form."""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from hierax.likelihoods.ddm import _as_float_arrays, _log_standard

__all__ = ["ddm_sdv_logpdf"]


def ddm_sdv_logpdf(
    rt: ArrayLike,
    response: ArrayLike,
    v: ArrayLike,
    a: ArrayLike,
    z: ArrayLike,
    t: ArrayLike,
    sv: ArrayLike,
) -> jax.Array:
    r"""Log density of the DDM with normally distributed drift across trials.

    The drift of each trial is drawn from ``Normal(v, sv)``; the other parameters and
    the response coding are those of :func:`hierax.likelihoods.ddm_logpdf` (``a`` is
    half the boundary separation ``A = 2a``). Integrating the drift factor of the
    Wiener density over the normal drift gives, at the lower boundary with ``w = z``
    and ``tau = rt - t`` (e.g. Blurton, Kesselmeier & Gondan, 2017, eq. 3),

    .. math::

        f(\tau) = \frac{1}{A^2} g\!\left(\frac{\tau}{A^2} \,\middle|\, w\right)
            \frac{1}{\sqrt{1 + s_v^2 \tau}}
            \exp\!\left(\frac{s_v^2 A^2 w^2 - 2 v A w - v^2 \tau}
                             {2 (1 + s_v^2 \tau)}\right),

    and the upper boundary follows by ``v -> -v``, ``w -> 1 - w``. With ``sv = 0`` it is
    :func:`ddm_logpdf` (to rounding: the terms are summed in another order).

    Parameters
    ----------
    rt
        Response time in seconds; log density ``-inf`` for ``rt <= t``.
    response
        ``1`` upper boundary, ``-1`` or ``0`` lower boundary.
    v
        Mean drift rate, real.
    a
        Half the boundary separation, ``a > 0``.
    z
        Relative start point, ``0 < z < 1``.
    t
        Non-decision time in seconds.
    sv
        Standard deviation of the drift across trials, ``sv >= 0``.

    All arguments broadcast together; floating dtypes are preserved.

    Returns
    -------
    jax.Array
        Log density over (rt, response), broadcast shape; ``-inf`` with zero gradient
        for ``rt <= t`` and outside the parameter space (``a <= 0``, ``z`` not in
        (0, 1), ``sv < 0``).

    References
    ----------
    Blurton, S. P., Kesselmeier, M., & Gondan, M. (2017). The first-passage time
    distribution for the diffusion model with variable drift. J. Math. Psychol. 76,
    7-12.

    Examples
    --------
    >>> from hierax.likelihoods import ddm_logpdf, ddm_sdv_logpdf
    >>> round(float(ddm_sdv_logpdf(0.8, 1, 0.5, 1.0, 0.5, 0.3, 1.0)), 4)
    -0.458
    >>> args = (0.8, 1, 0.5, 1.0, 0.5, 0.3)
    >>> bool(abs(ddm_sdv_logpdf(*args, 0.0) - ddm_logpdf(*args)) < 1e-6)
    True
    """
    rt, v, a, z, t, sv = _as_float_arrays(rt, v, a, z, t, sv)
    tau = rt - t
    upper = jnp.asarray(response) > 0
    valid = (tau > 0) & (a > 0) & (z > 0) & (z < 1) & (sv >= 0)
    # Double-where: invalid trials are evaluated at a harmless point, then replaced.
    tau_s = jnp.where(valid, tau, 1.0)
    A = jnp.where(valid, 2.0 * a, 1.0)
    w = jnp.where(valid, jnp.where(upper, 1.0 - z, z), 0.5)
    v_l = jnp.where(valid, jnp.where(upper, -v, v), 0.0)
    var = jnp.where(valid, sv * sv, 0.0)
    aw = A * w
    drift = (var * aw * aw - 2.0 * v_l * aw - v_l * v_l * tau_s) / (
        2.0 * (1.0 + var * tau_s)
    ) - 0.5 * jnp.log1p(var * tau_s)
    return jnp.where(valid, _log_standard(tau_s, A, w) + drift, -jnp.inf)
