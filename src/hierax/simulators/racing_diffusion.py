r"""Exact simulation of the racing diffusion model.

Model (Tillman, Van Zandt & Logan, 2020; parameters as HSSM's ``racing_diffusion_3``)
-------------------------------------------------------------------------------------
``n >= 2`` accumulators, Wiener processes with drifts ``v_i > 0`` and unit diffusion
coefficient, start at independent points ``Uniform(0, A)`` and race to the threshold
``b > A``. The first to arrive gives the response ``i`` (``0 .. n-1``); the response
time is its arrival time plus the non-decision time ``t``.
:func:`hierax.likelihoods.racing_diffusion.racing_diffusion_logpdf` is the density.

Method
------
Exact: the first-passage time of a Wiener process with drift ``v`` over a distance
``d`` is inverse Gaussian with mean ``mu = d / v`` and shape ``lambda = d**2``. Each
accumulator draws its start point, then its time by the transformation with
multiple roots of Michael, Schucany & Haas (1976): with ``y = z**2`` for a standard
normal ``z``, the smaller root of ``(x - mu)**2 / (mu**2 x / lambda) = y`` is

.. math::

    x_1 = \mu + \frac{\mu^2 y}{2\lambda}
          - \frac{\mu}{2\lambda}\sqrt{4\mu\lambda y + \mu^2 y^2}
        = \frac{\mu}{1 + r + \sqrt{r (r + 2)}}, \qquad r = \frac{\mu y}{2\lambda},

and the draw is ``x_1`` with probability ``mu / (mu + x_1)``, else the other root
``mu**2 / x_1``. The right-hand form (the two sides are equal since
``(1 + r)**2 - r (r + 2) = 1``) has no cancellation: the textbook left-hand form
subtracts two numbers of size ``mu r`` and loses every digit when ``r`` is large
(small ``v d``). Every draw uses a fixed number of random numbers (three per
accumulator), so it jits, vectorises and is reproducible from the key.

References
----------
Michael, J. R., Schucany, W. R., & Haas, R. W. (1976). Generating random variates
using transformations with multiple roots. The American Statistician, 30, 88-90.

Tillman, G., Van Zandt, T., & Logan, G. D. (2020). Sequential sampling models
without random between-trial variability: the racing diffusion model of speeded
decision making. Psychonomic Bulletin & Review, 27, 911-936.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import jax
import jax.numpy as jnp
from numpy.typing import ArrayLike

__all__ = ["sample_racing_diffusion"]


def _sample_wald(key: jax.Array, distance: jax.Array, drift: jax.Array) -> jax.Array:
    """First-passage times of Wiener processes with unit diffusion coefficient.

    Exact draws from the inverse Gaussian distribution with mean
    ``distance / drift`` and shape ``distance**2`` (Michael, Schucany & Haas, 1976;
    see the module docstring), one per element of the broadcast of the arguments.

    Parameters
    ----------
    key
        A JAX random key.
    distance
        Distance to the threshold, ``> 0``.
    drift
        Drift rate, ``> 0``.

    Returns
    -------
    jax.Array
        The times, in the arguments' floating dtype.

    Examples
    --------
    >>> import jax
    >>> x = _sample_wald(jax.random.key(0), jnp.full(20_000, 1.0), 2.0)
    >>> bool(abs(x.mean() - 0.5) < 0.01)
    True
    """
    distance, drift = jnp.broadcast_arrays(distance, drift)
    dtype = distance.dtype
    k_normal, k_choice = jax.random.split(key)
    z = jax.random.normal(k_normal, distance.shape, dtype)
    u = jax.random.uniform(k_choice, distance.shape, dtype)
    mean = distance / drift
    # r = mu y / (2 lambda) with mu = d / v, lambda = d**2.
    r = z * z / (2.0 * drift * distance)
    # x_1 / mu, in (0, 1]; sqrt(r) sqrt(r + 2) rather than sqrt(r (r + 2)): no overflow.
    w = 1.0 / (1.0 + r + jnp.sqrt(r) * jnp.sqrt(r + 2.0))
    return jnp.where(u * (1.0 + w) <= 1.0, mean * w, mean / w)


@partial(jax.jit, static_argnames=("shape",))
def sample_racing_diffusion(
    key: jax.Array,
    A: ArrayLike,
    b: ArrayLike,
    v: Sequence[ArrayLike],
    t: ArrayLike,
    shape: tuple[int, ...] | None = None,
) -> tuple[jax.Array, jax.Array]:
    """Draw response times and responses of the racing diffusion model.

    Exact up to floating-point precision (see the module docstring). Pure JAX:
    jittable (``shape`` is static) and vmappable; the parameters are not checked,
    draws with parameters outside their domain are ``NaN``.

    Parameters
    ----------
    key
        A JAX random key.
    A
        Width of the uniform start-point distribution, ``0 <= A < b``.
    b
        Threshold, ``> A``.
    v
        Sequence of the ``n >= 2`` drift rates ``v0, v1, ...``, each ``> 0``.
    t
        Non-decision time, ``>= 0``.
    shape
        Shape of the output; the parameters must broadcast to it. ``None``
        (default) uses the broadcast shape of the parameters.

    Returns
    -------
    rt : jax.Array
        Response times, of shape ``shape``, in the parameters' floating dtype
        (float32 or float64); ``NaN`` where ``A < 0``, ``b <= A``, a drift is
        ``<= 0``, ``t < 0`` or a parameter is not finite.
    response : jax.Array
        The winning accumulator ``0.0 .. n-1``, same shape and dtype.

    Raises
    ------
    ValueError
        If fewer than two drift rates are given.

    Examples
    --------
    >>> import jax
    >>> rt, response = sample_racing_diffusion(
    ...     jax.random.key(0), 0.5, 1.5, (2.0, 1.0, 0.5), 0.2, shape=(4,))
    >>> rt.shape, bool((rt > 0.2).all()), set(response.tolist()) <= {0.0, 1.0, 2.0}
    ((4,), True, True)

    Per-trial parameters broadcast:

    >>> rt, _ = sample_racing_diffusion(jax.random.key(1), 0.5, 1.5, ([1.0, 2.0], 1.0), 0.2)
    >>> rt.shape
    (2,)
    """
    v = tuple(v)
    n = len(v)
    if n < 2:
        raise ValueError(f"the racing diffusion model needs at least 2 drift rates, got {n}.")
    params = tuple(jnp.asarray(p) for p in (A, b, t, *v))
    dtype = jnp.result_type(*params, float)
    if dtype not in (jnp.float32, jnp.float64):  # integers, float16, bfloat16
        dtype = jnp.promote_types(dtype, jnp.float32)
    if shape is None:
        shape = jnp.broadcast_shapes(*(jnp.shape(p) for p in params))
    A, b, t, *v = (jnp.broadcast_to(jnp.asarray(p, dtype), shape) for p in params)
    drift = jnp.stack(v)

    valid = (
        (A >= 0)
        & (b > A)
        & (t >= 0)
        & jnp.isfinite(A + b + t)
        & jnp.all((drift > 0) & jnp.isfinite(drift), axis=0)
    )
    k_start, k_time = jax.random.split(key)
    # Start points in [0, A): the distance b - start is in (b - A, b].
    start = A * jax.random.uniform(k_start, (n, *shape), dtype)
    times = _sample_wald(k_time, b - start, drift)
    decision = jnp.min(times, axis=0)
    response = jnp.argmin(times, axis=0).astype(dtype)
    rt = jnp.where(valid, t + decision, jnp.nan)
    return rt, response
