"""Devices for parallel chains: how many CPU devices JAX exposes, and how to ask for more.

JAX shows a single CPU device unless it is told otherwise *before* it starts, and
NumPyro runs chains in parallel only with one device per chain. So that the usual
4 chains run in parallel on a CPU (as PyMC's do), ``import hierax`` asks JAX for
``max(4, cores)`` CPU devices (at most 32), provided JAX has not started yet and
neither ``XLA_FLAGS=--xla_force_host_platform_device_count`` nor
``jax_num_cpu_devices`` has been set. The devices share the machine's cores; a
single computation is not slowed down by them. ``HIERAX_CPU_DEVICES=n`` in the
environment chooses ``n`` instead (``1`` keeps JAX's default), and
:func:`set_host_device_count` changes it later, before any JAX computation
(``numpyro.set_host_device_count`` after ``import hierax`` has no effect: the count
hierax set takes precedence over ``XLA_FLAGS``).

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

__all__ = ["configure_cpu_devices", "device_count", "set_host_device_count"]

# NUTS chains a fit runs by default; at least this many CPU devices are requested.
DEFAULT_CHAINS = 4
MAX_AUTOMATIC_DEVICES = 32
ENV_VARIABLE = "HIERAX_CPU_DEVICES"


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
    _request_cpu_devices(n)


def configure_cpu_devices() -> int | None:
    """Ask JAX for one CPU device per chain, unless JAX or the user has decided already.

    Called by ``import hierax``. Returns the number of devices requested, or ``None``
    when nothing was changed (JAX already started, or a device count already set).

    Raises
    ------
    ValueError
        If ``HIERAX_CPU_DEVICES`` is set to something other than a positive integer.
    """
    setting = os.environ.get(ENV_VARIABLE, "").strip()
    if setting:
        if not setting.isdigit() or int(setting) < 1:
            raise ValueError(
                f"{ENV_VARIABLE}={setting!r}: expected a positive integer (the number of CPU "
                "devices JAX should expose; 1 keeps JAX's default)."
            )
        n = int(setting)
    else:
        n = max(DEFAULT_CHAINS, min(os.cpu_count() or 1, MAX_AUTOMATIC_DEVICES))
    already_set = (
        "xla_force_host_platform_device_count" in os.environ.get("XLA_FLAGS", "")
        or getattr(jax.config, "jax_num_cpu_devices", -1) != -1
    )
    if _backends_started() or already_set or n == 1:
        return None
    _request_cpu_devices(n)
    return n


def _request_cpu_devices(n: int) -> None:
    """``jax_num_cpu_devices`` where JAX has it, else the XLA flag (read when JAX starts)."""
    if hasattr(jax.config, "jax_num_cpu_devices"):
        jax.config.update("jax_num_cpu_devices", n)
        return
    flags = os.environ.get("XLA_FLAGS", "")  # pragma: no cover - older jax
    os.environ["XLA_FLAGS"] = f"{flags} --xla_force_host_platform_device_count={n}".strip()


def device_count() -> int:
    """Number of devices of JAX's default backend (CPU devices on a CPU)."""
    return jax.local_device_count()
