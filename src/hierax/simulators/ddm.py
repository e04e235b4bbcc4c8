"""Exact simulation of the drift diffusion model and its variability variants.

Parameterisation (HSSM's, inherited from HDDM)
----------------------------------------------
A Wiener process with drift ``v`` (positive towards the upper boundary) and unit
diffusion coefficient starts at ``2a * z`` and is absorbed at ``0`` (response
``-1``) or at ``2a`` (response ``1``): ``a`` is *half* the boundary separation
and ``z`` the relative start point in ``(0, 1)``. The response time is
``rt = t + decision time``. ``ddm_sdv`` draws the drift of every trial from
``Normal(v, sv)``; ``full_ddm`` additionally draws the relative start point from
``Uniform(z - sz/2, z + sz/2)`` and the non-decision time from
``Uniform(t - st/2, t + st/2)``.

Method
------
Every draw is exact up to floating-point precision; there is no time step.
Per trial the variabilities are drawn first; then the boundary, from its
closed-form probability; then the decision time, by inverting the CDF of the
first-passage time conditional on that boundary, evaluated with the
small-time (Blurton, Kesselmeier & Gondan, 2012) and large-time (Navarro &
Fuss, 2009) series. :mod:`hierax.simulators._first_passage` has the formulas,
the truncation bounds and the convergence of the inversion.

Why inversion rather than Euler steps or rejection: an Euler scheme is biased
at the boundaries (it misses crossings between steps); an exact rejection
sampler (e.g. Drugowitsch, 2016) needs a random number of proposals, which
under ``vmap`` costs every trial the worst trial's count. Inversion does the
same fixed work for every draw: one branch-free ``fori_loop`` that jits,
vectorises and runs on a GPU as on a CPU, with a fixed number of uniform
numbers per draw, so draws are reproducible from the key.

Examples
--------
>>> import jax
>>> rt, response = sample_ddm(jax.random.key(1), 1.0, 1.0, 0.5, 0.3, shape=(6,))
>>> rt.shape
(6,)
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp
from numpy.typing import ArrayLike

from hierax.simulators._first_passage import prob_upper, sample_conditional_time

__all__ = ["sample_ddm"]


@partial(jax.jit, static_argnames=("shape",))
def sample_ddm(
    key: jax.Array,
    v: ArrayLike,
    a: ArrayLike,
    z: ArrayLike,
    t: ArrayLike,
    sv: ArrayLike = 0.0,
    sz: ArrayLike = 0.0,
    st: ArrayLike = 0.0,
    shape: tuple[int, ...] | None = None,
) -> tuple[jax.Array, jax.Array]:
    """Draw response times and responses of the (full) drift diffusion model.

    Exact up to floating-point precision (see the module docstring for the
    parameterisation and the method). Pure JAX: jittable (``shape`` is
    static) and vmappable; the parameters are not checked, draws with
    parameters outside their domain are ``NaN``.

    Parameters
    ----------
    key
        A JAX random key.
    v
        Drift rate, real; positive values favour the upper boundary.
    a
        Half the boundary separation, ``> 0``.
    z
        Relative start point, in ``(0, 1)``.
    t
        Non-decision time, ``>= 0``.
    sv
        Standard deviation of the trial-to-trial drift, ``>= 0``.
    sz
        Width of the uniform trial-to-trial start point, ``>= 0`` with
        ``0 < z - sz/2`` and ``z + sz/2 < 1``.
    st
        Width of the uniform trial-to-trial non-decision time,
        ``0 <= st <= 2t``.
    shape
        Shape of the output; the parameters must broadcast to it. ``None``
        (default) uses the broadcast shape of the parameters.

    Returns
    -------
    rt : jax.Array
        Response times, of shape ``shape``, in the parameters' floating dtype
        (float32 or float64).
    response : jax.Array
        ``1.0`` (upper boundary) or ``-1.0`` (lower boundary), same shape and dtype.

    Examples
    --------
    >>> import jax
    >>> rt, response = sample_ddm(jax.random.key(0), 0.5, 1.0, 0.5, 0.3, shape=(3,))
    >>> rt.shape, bool((rt > 0.3).all()), set(response.tolist()) <= {-1.0, 1.0}
    ((3,), True, True)

    Per-trial parameters broadcast, and ``vmap`` maps over keys:

    >>> keys = jax.random.split(jax.random.key(1), 2)
    >>> rts, _ = jax.vmap(lambda k: sample_ddm(k, jnp.array([-1.0, 1.0]), 1.0, 0.5, 0.2))(keys)
    >>> rts.shape
    (2, 2)
    """
    params = (v, a, z, t, sv, sz, st)
    dtype = jnp.result_type(*params, float)
    if dtype not in (jnp.float32, jnp.float64):  # integers, float16, bfloat16
        dtype = jnp.promote_types(dtype, jnp.float32)
    if shape is None:
        shape = jnp.broadcast_shapes(*(jnp.shape(p) for p in params))
    v, a, z, t, sv, sz, st = (jnp.broadcast_to(jnp.asarray(p, dtype), shape) for p in params)

    k_v, k_z, k_t, k_choice, k_time = jax.random.split(key, 5)
    v_trial = v + sv * jax.random.normal(k_v, shape, dtype)
    z_trial = z + sz * (jax.random.uniform(k_z, shape, dtype) - 0.5)
    t_trial = t + st * (jax.random.uniform(k_t, shape, dtype) - 0.5)

    upper = jax.random.uniform(k_choice, shape, dtype) < prob_upper(v_trial, a, z_trial)
    separation = 2.0 * a
    m = jnp.abs(v_trial) * separation
    w = jnp.where(upper, 1.0 - z_trial, z_trial)
    # Open interval (0, 1): tiny keeps log(r) finite.
    r = jax.random.uniform(k_time, shape, dtype, minval=jnp.finfo(dtype).tiny, maxval=1.0)
    decision = separation**2 * sample_conditional_time(r, m, w)

    valid = (
        (a > 0)
        & (z - sz / 2 > 0)
        & (z + sz / 2 < 1)
        & (t - st / 2 >= 0)
        & (sv >= 0)
        & (sz >= 0)
        & (st >= 0)
        & jnp.isfinite(v + a + z + t + sv + sz + st)
    )
    rt = jnp.where(valid, t_trial + decision, jnp.nan)
    response = jnp.where(upper, 1.0, -1.0).astype(dtype)
    return rt, response
