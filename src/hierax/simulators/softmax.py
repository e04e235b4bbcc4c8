r"""Exact simulation of softmax choices with an inverse temperature.

Option ``i`` of ``n`` is chosen with probability
``softmax(beta * (0, logit_1, ..., logit_{n-1}))_i`` (Luce, 1959; McFadden, 1974;
see :mod:`hierax.likelihoods.softmax` for the model and HSSM's response coding).
Draws use the Gumbel-max trick (``argmax_i(beta logit_i + G_i)`` with independent
standard Gumbel ``G_i`` has exactly the softmax law; Gumbel, 1954; Yellott, 1977)
through :func:`jax.random.categorical`: exact, one Gumbel number per option and
trial, jittable and vmappable.

References
----------
Luce, R. D. (1959). Individual choice behavior. Wiley.
McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior. In
P. Zarembka (Ed.), Frontiers in econometrics (pp. 105-142). Academic Press.
Yellott, J. I. (1977). The relationship between Luce's choice axiom, Thurstone's
theory of comparative judgment, and the double exponential distribution. J. Math.
Psychol. 15, 109-144.

Examples
--------
>>> import jax
>>> from hierax.simulators.softmax import sample_softmax
>>> choice = sample_softmax(jax.random.key(0), 1.0, (0.5, -0.5), shape=(5,))
>>> choice.shape, set(choice.tolist()) <= {0.0, 1.0, 2.0}
((5,), True)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import jax
import jax.numpy as jnp
from numpy.typing import ArrayLike

from hierax.likelihoods.softmax import softmax_scores

__all__ = ["sample_softmax"]


@partial(jax.jit, static_argnames=("shape",))
def sample_softmax(
    key: jax.Array,
    beta: ArrayLike,
    logits: Sequence[ArrayLike],
    shape: tuple[int, ...] | None = None,
) -> jax.Array:
    """Draw choice indices of the softmax rule with inverse temperature ``beta``.

    Exact (Gumbel-max, see the module docstring). Pure JAX: jittable (``shape`` is
    static; the number of options, ``len(logits) + 1``, is fixed by the structure of
    ``logits``) and vmappable; parameters are not checked, draws with ``beta <= 0``
    or non-finite parameters are ``NaN``.

    Parameters
    ----------
    key
        A JAX random key.
    beta
        Inverse temperature, ``> 0``.
    logits
        Sequence (e.g. a tuple) of ``n - 1 >= 1`` arrays: ``logit_1 .. logit_{n-1}``
        (``logit_0 = 0``).
    shape
        Shape of the output; the parameters must broadcast to it. ``None`` (default)
        uses the broadcast shape of the parameters.

    Returns
    -------
    jax.Array
        Choice indices ``0.0 .. n - 1`` as floats of the parameters' floating dtype
        (float32 or float64), of shape ``shape``. For HSSM's two-choice coding use
        ``2 * choice - 1``.

    Examples
    --------
    >>> import jax
    >>> choice = sample_softmax(jax.random.key(1), 3.0, (1.0,), shape=(1000,))
    >>> bool(0.9 < choice.mean() < 1.0)  # P(1) = e^3 / (1 + e^3) = 0.95
    True
    >>> float(sample_softmax(jax.random.key(2), -1.0, (1.0,)))
    nan
    """
    scores, beta = softmax_scores(beta, logits)
    dtype = scores.dtype
    if dtype not in (jnp.float32, jnp.float64):  # float16, bfloat16
        dtype = jnp.promote_types(dtype, jnp.float32)
        scores, beta = scores.astype(dtype), beta.astype(dtype)
    n = scores.shape[-1]
    if shape is None:
        shape = scores.shape[:-1]
    scores = jnp.broadcast_to(scores, (*shape, n))
    valid = jnp.broadcast_to((beta > 0) & jnp.all(jnp.isfinite(scores), axis=-1), shape)
    safe = jnp.where(valid[..., None], scores, 0.0)
    choice = jax.random.categorical(key, safe, axis=-1, shape=shape)
    return jnp.where(valid, choice.astype(dtype), jnp.nan)
