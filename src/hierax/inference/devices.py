"""Devices for parallel chains: how many CPU devices JAX exposes, and how to ask for more.

JAX shows a single CPU device unless it is told otherwise *before* it starts,
so NUTS chains on a CPU run one after the other by default. Call
:func:`set_host_device_count` first thing in a script (before any JAX
computation) to run one chain per core. hierax never changes this on its own:
no global configuration is touched at import.

Examples
--------
>>> import hierax as hx
>>> hx.device_count() >= 1
True
"""

from __future__ import annotations

import gc
import os

import jax
import jax.extend.backend

__all__ = ["device_count", "set_host_device_count"]


def _backends_started() -> bool:
    from jax._src import xla_bridge

    return bool(xla_bridge.backends_are_initialized())


def set_host_device_count(n: int | None = None) -> None:
    """Expose ``n`` CPU devices to JAX so that NUTS chains run in parallel on a CPU.

    Call it first thing after ``import hierax``, before any model is built
    or sampled (JAX fixes its devices when it first computes something).
    Equivalent to ``numpyro.set_host_device_count(n)`` before importing JAX,
    or to setting ``XLA_FLAGS=--xla_force_host_platform_device_count=n`` in
    the environment before Python starts.

    Parameters
    ----------
    n
        Number of CPU devices, ``>= 1``; default: the number of CPU cores.

    Raises
    ------
    RuntimeError
        If JAX has already started (the setting could no longer take effect).

    Examples
    --------
    >>> import hierax as hx
    >>> hx.set_host_device_count(4)  # doctest: +SKIP
    >>> hx.device_count()  # doctest: +SKIP
    4
    """
    n = (os.cpu_count() or 1) if n is None else n
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}.")
    if _backends_started():
        if jax.local_device_count("cpu") == n:
            return
        gc.collect()
        if jax.live_arrays():
            raise RuntimeError(
                f"JAX has already started with {jax.local_device_count('cpu')} CPU device(s) and "
                f"holds arrays on them, so set_host_device_count({n}) cannot take effect. Call "
                "hx.set_host_device_count() right after `import hierax`, before building or "
                "sampling any model, or set "
                f"XLA_FLAGS=--xla_force_host_platform_device_count={n} before starting Python."
            )
        # Nothing lives on the devices yet (JAX may have started while hierax was imported):
        # restart the backend with the new device count.
        jax.extend.backend.clear_backends()
    jax.config.update("jax_num_cpu_devices", n)


def device_count() -> int:
    """Number of devices of JAX's default backend (CPU devices on a CPU)."""
    return jax.local_device_count()
