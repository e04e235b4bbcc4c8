r"""Softmax choice with an inverse temperature (choices only, no response times).

Model
-----
A choice among ``n >= 2`` options with values ``logit_0 = 0`` (the reference option)
and ``logit_1, ..., logit_{n-1}``, chosen with the softmax (multinomial logit, Luce)
rule of Luce (1959) and McFadden (1974), sharpened by an inverse temperature
``beta > 0`` as in reinforcement-learning models of choice (Sutton & Barto, 2018,
section 2.8):

.. math::

    P(\text{choice} = i) = \frac{e^{\beta\,\text{logit}_i}}
        {\sum_{j=0}^{n-1} e^{\beta\,\text{logit}_j}},
    \qquad \text{logit}_0 = 0.

``beta -> 0`` makes all options equally likely, ``beta -> inf`` picks the largest
logit. The functions here work in *index space*, ``choice in {0, ..., n - 1}``. HSSM's
``softmax_inv_temperature_2`` codes the two choices ``-1`` (index 0) and ``1``
(index 1); its ``softmax_inv_temperature_3`` (and higher) codes them ``0 .. n-1``,
which are the indices.

Numerics
--------
``log P(i) = beta logit_i - logsumexp_j(beta logit_j)``, with the maximum subtracted
before exponentiating, so that ``|beta logit|`` in the hundreds (and beyond) gives
finite log probabilities and gradients in float32 and float64.

References
----------
Luce, R. D. (1959). Individual choice behavior. Wiley.
McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior. In
P. Zarembka (Ed.), Frontiers in econometrics (pp. 105-142). Academic Press.
Sutton, R. S., & Barto, A. G. (2018). Reinforcement learning: An introduction
(2nd ed.). MIT Press.

Examples
--------
>>> from hierax.likelihoods.softmax import softmax_logpmf
>>> round(float(softmax_logpmf(1.0, 2.0, (0.5,))), 6)  # log(e / (1 + e))
-0.313262
"""

from __future__ import annotations

from collections.abc import Sequence

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

__all__ = ["softmax_logpmf", "softmax_scores"]

_MIN_CHOICES = 2
"""A choice needs at least two options: ``logits`` holds at least one array."""


def _check_logits(logits: tuple) -> None:
    if len(logits) < _MIN_CHOICES - 1:
        raise ValueError(
            f"logits must hold at least {_MIN_CHOICES - 1} array (logit1, ...); got none."
        )


def softmax_scores(beta: ArrayLike, logits: Sequence[ArrayLike]) -> tuple[jax.Array, jax.Array]:
    """The scores ``beta * (0, logit_1, ..., logit_{n-1})`` stacked on a last axis.

    Parameters
    ----------
    beta
        Inverse temperature.
    logits
        Sequence of ``n - 1`` arrays, ``logit_1 .. logit_{n-1}`` (``logit_0 = 0``).

    Returns
    -------
    scores : jax.Array
        Shape ``broadcast + (n,)``, in the common floating dtype of the inputs.
    beta : jax.Array
        ``beta`` as an array of that dtype.

    Raises
    ------
    ValueError
        If ``logits`` is empty (fewer than two options).

    Examples
    --------
    >>> scores, _ = softmax_scores(2.0, (0.5, -1.0))
    >>> scores.tolist()
    [0.0, 1.0, -2.0]
    """
    logits = tuple(logits)
    _check_logits(logits)
    dtype = jnp.result_type(beta, *logits)
    if not jnp.issubdtype(dtype, jnp.floating):
        dtype = jnp.result_type(float)
    beta = jnp.asarray(beta, dtype)
    arrays = [jnp.asarray(x, dtype) for x in logits]
    shape = jnp.broadcast_shapes(beta.shape, *(x.shape for x in arrays))
    zero = jnp.zeros(shape, dtype)
    scores = jnp.stack([zero, *(jnp.broadcast_to(beta * x, shape) for x in arrays)], axis=-1)
    return scores, beta


def softmax_logpmf(
    choice_index: ArrayLike, beta: ArrayLike, logits: Sequence[ArrayLike]
) -> jax.Array:
    r"""Log probability of a softmax choice with inverse temperature ``beta``.

    .. math::

        \log P(i) = \beta\,\text{logit}_i - \log \sum_{j=0}^{n-1} e^{\beta\,\text{logit}_j},
        \qquad \text{logit}_0 = 0

    (see the module docstring). The probabilities of the ``n`` choices sum to one.

    Parameters
    ----------
    choice_index
        The chosen option, an integer-valued number in ``0 .. n - 1`` (float or
        integer dtype). For HSSM's two-choice coding (``-1``, ``1``) pass
        ``(response + 1) / 2``.
    beta
        Inverse temperature, ``> 0``.
    logits
        Sequence (e.g. a tuple) of ``n - 1 >= 1`` arrays: ``logit_1 .. logit_{n-1}``.

    All arrays broadcast together. Floating inputs keep their dtype (float32 in,
    float32 out).

    Returns
    -------
    jax.Array
        Log probability, broadcast shape. ``-inf`` (with zero, never NaN, gradients)
        where ``choice_index`` is not one of ``0 .. n - 1``, where ``beta <= 0`` and
        where a parameter is not finite.

    Raises
    ------
    ValueError
        If ``logits`` is empty.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from hierax.likelihoods.softmax import softmax_logpmf
    >>> lp = softmax_logpmf(jnp.array([0.0, 1.0, 2.0]), 1.0, (jnp.log(2.0), jnp.log(5.0)))
    >>> [round(float(x), 6) for x in jnp.exp(lp)]  # weights 1 : 2 : 5
    [0.125, 0.25, 0.625]
    >>> float(softmax_logpmf(3.0, 1.0, (0.2, 0.3)))
    -inf
    """
    return _softmax_logpmf_compiled(choice_index, beta, tuple(logits))


def _softmax_logpmf_kernel(choice_index, beta, logits):
    _check_logits(logits)
    dtype = jnp.result_type(beta, *logits)
    if not jnp.issubdtype(dtype, jnp.floating):
        dtype = jnp.result_type(float)
    choice = jnp.asarray(choice_index)
    beta = jnp.asarray(beta, dtype)
    logits = [jnp.asarray(x, dtype) for x in logits]
    n = len(logits) + 1
    shape = jnp.broadcast_shapes(choice.shape, beta.shape, *(x.shape for x in logits))
    beta = jnp.broadcast_to(beta, shape)
    logits = [jnp.broadcast_to(x, shape) for x in logits]
    valid = (
        (choice >= 0)
        & (choice <= n - 1)
        & (jnp.floor(choice) == choice)
        & (beta > 0)
        & jnp.isfinite(beta)
    )
    for x in logits:
        valid = valid & jnp.isfinite(beta * x)
    # Harmless values where invalid, before any arithmetic: zero (never NaN) gradients.
    beta = jnp.where(valid, beta, 1.0)
    scores = jnp.stack(
        [jnp.zeros(shape, dtype), *(beta * jnp.where(valid, x, 0.0) for x in logits)], -1
    )
    top = jax.lax.stop_gradient(jnp.max(scores, axis=-1, keepdims=True))
    shifted = scores - top
    log_norm = jnp.log(jnp.sum(jnp.exp(shifted), axis=-1))
    picked = jnp.arange(n, dtype=dtype) == jnp.asarray(choice, dtype)[..., None]
    chosen = jnp.sum(jnp.where(picked, shifted, 0.0), axis=-1)
    return jnp.where(valid, chosen - log_norm, -jnp.inf)


# One compiled program for eager calls (cf. hierax.likelihoods.ddm); inlined when traced.
_softmax_logpmf_compiled = jax.jit(_softmax_logpmf_kernel)
