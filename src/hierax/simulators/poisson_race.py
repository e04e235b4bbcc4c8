r"""Exact simulation of the two-accumulator Poisson race.

Model
-----
Accumulator ``i`` counts the events of a Poisson process with rate ``r_i`` and
finishes after ``k_i`` events (Townsend & Ashby, 1983; Smith & Van Zandt, 2000), so
its finishing time is ``T_i ~ Gamma(shape k_i, rate r_i)`` (``k_i > 0`` need not be
an integer). The response time is ``rt = t + min(T_1, T_2)``; the response is ``-1``
when accumulator 1 finishes first and ``1`` when accumulator 2 does (HSSM's coding
for ``poisson_race``). :func:`hierax.likelihoods.poisson_race.poisson_race_logpdf`
is the matching density.

Method
------
Both finishing times are drawn exactly, on the log scale, as
``log T_i = log G_i - log r_i`` with ``log G_i ~ log Gamma(k_i, 1)`` from
:func:`jax.random.loggamma` (no underflow to ``0`` for small shapes, which would make
ties), and compared there. Two gamma draws per trial, from one call: jittable,
vmappable and reproducible from the key.

References
----------
Smith, P. L., & Van Zandt, T. (2000). Time-dependent Poisson counter models of
response latency in simple judgment. Br. J. Math. Stat. Psychol. 53, 293-315.
Townsend, J. T., & Ashby, F. G. (1983). Stochastic modeling of elementary
psychological processes. Cambridge University Press.

Examples
--------
>>> import jax
>>> from hierax.simulators.poisson_race import sample_poisson_race
>>> rt, response = sample_poisson_race(jax.random.key(0), 4.0, 3.0, 2.0, 2.0, 0.3, shape=(1000,))
>>> rt.shape, bool((rt > 0.3).all()), set(response.tolist()) <= {-1.0, 1.0}
((1000,), True, True)
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp
from numpy.typing import ArrayLike

__all__ = ["sample_poisson_race"]


@partial(jax.jit, static_argnames=("shape",))
def sample_poisson_race(
    key: jax.Array,
    r1: ArrayLike,
    r2: ArrayLike,
    k1: ArrayLike,
    k2: ArrayLike,
    t: ArrayLike,
    shape: tuple[int, ...] | None = None,
) -> tuple[jax.Array, jax.Array]:
    """Draw response times and responses of the two-accumulator Poisson race.

    Exact (see the module docstring). Pure JAX: jittable (``shape`` is static) and
    vmappable; the parameters are not checked, draws with parameters outside their
    domain have ``NaN`` response times.

    Parameters
    ----------
    key
        A JAX random key.
    r1, r2
        Rates of the two Poisson counters, ``> 0``.
    k1, k2
        Thresholds (gamma shapes) of the two counters, ``> 0``.
    t
        Non-decision time, ``>= 0``.
    shape
        Shape of the output; the parameters must broadcast to it. ``None`` (default)
        uses the broadcast shape of the parameters.

    Returns
    -------
    rt : jax.Array
        Response times, of shape ``shape``, in the parameters' floating dtype
        (float32 or float64); ``NaN`` where a parameter is invalid.
    response : jax.Array
        ``-1.0`` (accumulator 1 first) or ``1.0`` (accumulator 2 first), same shape
        and dtype.

    Examples
    --------
    >>> import jax
    >>> rt, response = sample_poisson_race(jax.random.key(1), 5.0, 1.0, 2.0, 2.0, 0.2,
    ...                                    shape=(1000,))
    >>> bool((response == -1.0).mean() > 0.9)  # accumulator 1 is five times faster
    True
    >>> rt, _ = sample_poisson_race(jax.random.key(2), -1.0, 1.0, 2.0, 2.0, 0.2, shape=(1000,))
    >>> bool(jnp.isnan(rt).all())  # a negative rate
    True
    """
    params = (r1, r2, k1, k2, t)
    dtype = jnp.result_type(*params, float)
    if dtype not in (jnp.float32, jnp.float64):  # integers, float16, bfloat16
        dtype = jnp.promote_types(dtype, jnp.float32)
    if shape is None:
        shape = jnp.broadcast_shapes(*(jnp.shape(p) for p in params))
    r1, r2, k1, k2, t = (jnp.broadcast_to(jnp.asarray(p, dtype), shape) for p in params)

    valid = (r1 > 0) & (r2 > 0) & (k1 > 0) & (k2 > 0) & (t >= 0)
    valid = valid & jnp.isfinite(r1 + r2 + k1 + k2 + t)
    # Harmless shapes where invalid: loggamma of a non-positive shape is NaN anyway,
    # but keeps the sampler's rejection loop short.
    k1_s, k2_s = jnp.where(valid, k1, 1.0), jnp.where(valid, k2, 1.0)
    r1_s, r2_s = jnp.where(valid, r1, 1.0), jnp.where(valid, r2, 1.0)
    # Both accumulators in one call (one compiled rejection sampler, not two).
    log_g = jax.random.loggamma(key, jnp.stack([k1_s, k2_s]), (2, *shape), dtype)
    log_t1 = log_g[0] - jnp.log(r1_s)
    log_t2 = log_g[1] - jnp.log(r2_s)
    second = log_t2 < log_t1
    decision = jnp.exp(jnp.minimum(log_t1, log_t2))
    rt = jnp.where(valid, t + decision, jnp.nan)
    response = jnp.where(second, 1.0, -1.0).astype(dtype)
    return rt, response
