"""Floating-point precision used when hierax builds and fits models.

hierax never changes JAX's global configuration at import. Fitting runs
inside :func:`precision`, a context that enables 64-bit floats for the
duration of the computation when the working precision is ``"float64"``
(the default). :func:`set_floatX` changes the working precision.

Examples
--------
>>> import hierax as hx
>>> hx.get_floatX()
'float64'
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import jax

__all__ = ["get_floatX", "precision", "set_floatX"]

_VALID = ("float32", "float64")
_state = {"floatX": "float64"}


def set_floatX(dtype: str) -> None:
    """Set the working precision of hierax: ``"float64"`` (default) or ``"float32"``.

    Examples
    --------
    >>> set_floatX("float32"); get_floatX()
    'float32'
    >>> set_floatX("float64")
    """
    if dtype not in _VALID:
        raise ValueError(f"floatX must be one of {_VALID}, got {dtype!r}.")
    _state["floatX"] = dtype


def get_floatX() -> str:
    """The working precision, ``"float64"`` or ``"float32"``."""
    return _state["floatX"]


@contextlib.contextmanager
def precision(dtype: str | None = None) -> Iterator[str]:
    """Run the enclosed JAX code with 64-bit floats enabled or disabled.

    Parameters
    ----------
    dtype
        ``"float64"`` or ``"float32"``; ``None`` uses :func:`get_floatX`.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> with precision("float64"):
    ...     jnp.ones(1).dtype.name
    'float64'
    """
    dtype = get_floatX() if dtype is None else dtype
    if dtype not in _VALID:
        raise ValueError(f"dtype must be one of {_VALID}, got {dtype!r}.")
    with _enable_x64(dtype == "float64"):
        yield dtype


@contextlib.contextmanager
def precision_in_all_threads(dtype: str | None = None) -> Iterator[str]:
    """:func:`precision`, also in the threads JAX runs host callbacks on; restored on exit.

    :func:`precision` is thread-local. NumPyro's progress bars for parallel chains are
    host callbacks whose results JAX checks against the dtypes traced in this thread; a
    callback thread left at 32 bits returns int32 where int64 was traced, which fails.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> with precision_in_all_threads("float64"):
    ...     jnp.ones(1).dtype.name
    'float64'
    """
    with precision(dtype) as resolved:
        before = _global_x64()
        jax.config.update("jax_enable_x64", resolved == "float64")
        try:
            yield resolved
        finally:
            jax.config.update("jax_enable_x64", before)


def _global_x64() -> bool:
    """The process-wide ``jax_enable_x64`` (not a thread's ``enable_x64`` context)."""
    try:
        from jax._src.config import enable_x64

        return bool(enable_x64.get_global())
    except (ImportError, AttributeError):  # pragma: no cover - other jax layouts
        return bool(jax.config.jax_enable_x64)


def _enable_x64(flag: bool) -> contextlib.AbstractContextManager:
    """``jax.enable_x64`` (jax >= 0.6) or its older home in ``jax.experimental``."""
    if hasattr(jax, "enable_x64"):
        return jax.enable_x64(flag)
    from jax import experimental  # pragma: no cover - jax < 0.6

    return experimental.enable_x64(flag) if flag else experimental.disable_x64()
