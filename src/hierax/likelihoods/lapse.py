"""Lapse (contaminant) processes and their mixture with a model's likelihood."""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from hierax.likelihoods._once import computed_once
from hierax.likelihoods.ddm import _as_float_arrays, _log

__all__ = ["lapse_mixture", "uniform_lapse_logpdf"]


def _components(logp, p, lapse_logp):
    # log((1 - p) e^logp) and log(p e^lapse) without evaluating log(0) * 0: where p is 0
    # (or 1) the corresponding component is simply absent. p keeps its own shape (usually
    # a scalar), so its logarithms are not repeated per trial.
    keep = jnp.where(p < 1, logp + jnp.log1p(-jnp.where(p < 1, p, 0.0)), -jnp.inf)
    lapse = jnp.where(p > 0, lapse_logp + jnp.log(jnp.where(p > 0, p, 1.0)), -jnp.inf)
    return keep, lapse


def _logaddexp(x: jax.Array, y: jax.Array) -> jax.Array:
    """``log(e^x + e^y)`` for ``x, y < inf`` with one ``exp`` and the vectorised logarithm."""
    top = jnp.maximum(x, y)
    finite = top > -jnp.inf
    top_s = jnp.where(finite, top, 0.0)
    gap = jnp.minimum(x, y) - top_s  # <= 0, -inf where one component is absent
    return jnp.where(finite, top_s + _log(1.0 + jnp.exp(gap)), -jnp.inf)


def _mixture_value(logp, p, lapse_logp):
    return _logaddexp(*_components(logp, p, lapse_logp))


@jax.custom_jvp
def _mixture(logp: jax.Array, p: jax.Array, lapse_logp: jax.Array) -> jax.Array:
    return _mixture_value(logp, p, lapse_logp)


def _mixture_terms(logp, p, lapse_logp):
    out = _mixture_value(logp, p, lapse_logp)
    # e^(logp - out) and e^(lapse - out): d out / d logp = (1 - p) e_keep,
    # d out / d lapse = p e_lapse, d out / d p = e_lapse - e_keep. All finite where out
    # is; where both components vanish the gradient is zero.
    finite = out > -jnp.inf
    out_s = jnp.where(finite, out, 0.0)
    e_keep = jnp.where(finite, jnp.exp(jnp.where(finite, logp - out_s, 0.0)), 0.0)
    e_lapse = jnp.where(finite, jnp.exp(jnp.where(finite, lapse_logp - out_s, 0.0)), 0.0)
    return out, e_keep, e_lapse


@_mixture.defjvp
def _mixture_jvp(primals, tangents):
    logp, p, lapse_logp = primals
    d_logp, d_p, d_lapse = tangents
    out, e_keep, e_lapse = computed_once(_mixture_terms, logp, logp, p, lapse_logp)
    tangent = (1.0 - p) * e_keep * d_logp + p * e_lapse * d_lapse + (e_lapse - e_keep) * d_p
    return out, tangent


# One compiled program for eager calls (see _ddm_kernel_compiled in hierax.likelihoods.ddm).
_mixture_compiled = jax.jit(_mixture)


def lapse_mixture(logp: ArrayLike, p_outlier: ArrayLike, lapse_logp: ArrayLike) -> jax.Array:
    r"""Mix a model's log density with a lapse process, in log space.

    .. math::

        \log\left[(1 - p)\, e^{\ell} + p\, e^{\ell_\text{lapse}}\right]

    computed with ``log1p`` and ``logaddexp``: ``p = 0`` returns ``logp`` exactly,
    ``p = 1`` returns ``lapse_logp``, and the gradients (analytic, via a custom JVP)
    are finite whenever the result is, including at ``p = 0`` and where ``logp`` is
    ``-inf`` (e.g. ``rt <= t``), which is where a lapse process earns its keep.

    Parameters
    ----------
    logp
        Log density of the model, ``-inf`` allowed.
    p_outlier
        Lapse probability, ``0 <= p <= 1``.
    lapse_logp
        Log density of the lapse process on the same (rt, response) space, e.g.
        :func:`uniform_lapse_logpdf`.

    All arguments broadcast together; floating dtypes are preserved.

    Returns
    -------
    jax.Array
        Log density of the mixture, broadcast shape; ``-inf`` where ``p_outlier`` is
        outside [0, 1].

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from hierax.likelihoods import lapse_mixture
    >>> float(lapse_mixture(-1.5, 0.0, -3.7))
    -1.5
    >>> round(float(lapse_mixture(-jnp.inf, 0.05, -3.6889)), 4)
    -6.6846
    """
    logp, p, lapse_logp = _as_float_arrays(logp, p_outlier, lapse_logp)
    shape = jnp.broadcast_shapes(logp.shape, p.shape, lapse_logp.shape)
    logp, lapse_logp = jnp.broadcast_to(logp, shape), jnp.broadcast_to(lapse_logp, shape)
    valid = (p >= 0) & (p <= 1)
    p_s = jnp.where(valid, p, 0.0)
    return jnp.where(valid, _mixture_compiled(logp, p_s, lapse_logp), -jnp.inf)


def uniform_lapse_logpdf(
    rt: ArrayLike,
    lower: ArrayLike = 0.0,
    upper: ArrayLike = 20.0,
    n_choices: int = 2,
) -> jax.Array:
    r"""Log density of a uniform lapse process over (rt, response).

    The response time is ``Uniform(lower, upper)`` and the response is uniform over
    ``n_choices`` alternatives, so the density over (rt, response) is
    ``1 / ((upper - lower) n_choices)`` and integrates to one over rt and all
    responses, like the DDM density it is mixed with (HSSM's default lapse is
    ``Uniform(0, 20)`` on rt).

    Parameters
    ----------
    rt
        Response time in seconds, any shape.
    lower, upper
        Support of the response time, ``lower < upper``.
    n_choices
        Number of possible responses (2 for the DDM).

    Returns
    -------
    jax.Array
        ``-log((upper - lower) n_choices)`` where ``lower <= rt <= upper``, ``-inf``
        elsewhere; shape of ``rt`` broadcast with the bounds, dtype of ``rt``.

    Examples
    --------
    >>> from hierax.likelihoods import uniform_lapse_logpdf
    >>> round(float(uniform_lapse_logpdf(0.7)), 4)
    -3.6889
    >>> float(uniform_lapse_logpdf(25.0))
    -inf
    """
    rt, lower, upper = _as_float_arrays(rt, lower, upper)
    inside = (rt >= lower) & (rt <= upper)
    log_density = -jnp.log((upper - lower) * n_choices)
    return jnp.where(inside, log_density, -jnp.inf)
