"""Evaluate a per-trial computation once: a boundary XLA's CPU fusion does not copy across.

XLA's CPU compiler fuses elementwise producers into each of their consumers. For a
likelihood's value and partial derivatives, each of which feeds several gradient paths
(one per parameter, the lapse mixture's responsibilities, the bounds checks), that
means the whole series is recomputed in every consumer's loop: measured on the
cavanagh_theta hierarchical DDM, value + gradient of the model took 620 us per
evaluation, of which about half was such copies. Inside a ``lax.cond`` the computation
is compiled as one unit whose results are stored and read by every consumer (320 us).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

__all__ = ["computed_once"]


def computed_once(fn: Callable[..., Any], guard: jax.Array, *args: jax.Array) -> Any:
    """``fn(*args)``, compiled on CPU as one unit whose results every consumer reads.

    ``guard`` is any array the predicate of the ``lax.cond`` is computed from (both
    branches are ``fn``, so its value never matters; it only has to be unknown to the
    compiler). Pass the data (e.g. response times): data are not batched when chains
    are vectorised, so the ``cond`` stays a ``cond`` rather than becoming a ``select``
    that evaluates both branches. On other backends ``fn(*args)`` is returned as is
    (a GPU ``cond`` would synchronise with the host, and GPU fusion is cheap to repeat).

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> x = jnp.arange(3.0)
    >>> [float(v) for v in computed_once(lambda y: y * y, x, x)]
    [0.0, 1.0, 4.0]
    """
    if jax.default_backend() != "cpu":
        return fn(*args)
    predicate = jnp.any(jnp.isnan(guard))
    return jax.lax.cond(predicate, fn, fn, *args)
