"""Throughput of the DDM log density: value + gradient, trials per second.

Measures ``jax.value_and_grad`` of ``sum(ddm_logpdf(...))`` with respect to the
per-trial arrays ``v, a, z, t`` (the shape of the work inside NUTS for a model whose
parameters vary by trial), jitted, warm-up call excluded, best of several repeats,
``block_until_ready``. Prints one line per (dtype, number of trials): wall-clock
throughput (total and divided by the cores available) and throughput per second of
process CPU time (all threads), which is the per-core figure that stays meaningful when
other processes share the cores.

Run with ``python benchmarks/likelihood.py``; ``--repeats`` and ``--sizes`` change
the defaults.
"""

from __future__ import annotations

import argparse
import os
import time

import jax
import jax.numpy as jnp
import numpy as np

from hierax.likelihoods import ddm_logpdf

# Parameter ranges of typical fits (cavanagh_theta posteriors lie well inside them).
_RANGES = {"v": (-3.0, 3.0), "a": (0.4, 2.0), "z": (0.3, 0.7), "t": (0.1, 0.4)}
# Response time minus non-decision time, seconds: covers both series of the kernel.
_DECISION_TIME = (0.05, 3.0)


def _data(n: int, dtype: np.dtype, seed: int = 0) -> tuple[jax.Array, ...]:
    rng = np.random.default_rng(seed)
    params = {k: rng.uniform(lo, hi, n) for k, (lo, hi) in _RANGES.items()}
    rt = params["t"] + rng.uniform(*_DECISION_TIME, n)
    response = np.where(rng.uniform(size=n) < 0.6, 1, -1).astype(np.int32)
    cast = [jnp.asarray(x.astype(dtype)) for x in (rt, params["v"], params["a"])]
    rest = [jnp.asarray(params[k].astype(dtype)) for k in ("z", "t")]
    return cast[0], jnp.asarray(response), cast[1], cast[2], rest[0], rest[1]


def _objective(v, a, z, t, rt, response):
    return jnp.sum(ddm_logpdf(rt, response, v, a, z, t))


_value_and_grad = jax.jit(jax.value_and_grad(_objective, argnums=(0, 1, 2, 3)))


def _time(n: int, dtype: np.dtype, repeats: int) -> tuple[float, float]:
    """Best wall-clock and best process-CPU-time throughput, trials/s."""
    rt, response, v, a, z, t = _data(n, dtype)
    jax.block_until_ready(_value_and_grad(v, a, z, t, rt, response))  # compile + warm-up
    best_wall = best_cpu = np.inf
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        jax.block_until_ready(_value_and_grad(v, a, z, t, rt, response))
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return n / best_wall, n / best_cpu


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**4, 10**5, 10**6])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    cores = _cores()
    devices = jax.devices()
    print(f"device: {devices[0].platform} x{len(devices)}, CPU cores available: {cores}")
    for dtype in (np.float32, np.float64):
        with jax.enable_x64(dtype == np.float64):
            for n in args.sizes:
                wall, cpu = _time(n, dtype, args.repeats)
                print(
                    f"{np.dtype(dtype).name:8s} n={n:>9,d}  value+grad {wall / 1e6:7.1f} M trials/s"
                    f" wall ({wall / 1e6 / cores:5.1f} M/s per core),"
                    f" {cpu / 1e6:6.1f} M trials per CPU-second"
                )


if __name__ == "__main__":
    main()
