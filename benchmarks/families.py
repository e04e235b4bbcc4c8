"""Cost of each model's log density: value + gradient, nanoseconds per trial.

For every built-in family with response times (or the ones named), data are simulated
at the family's initial parameter values; each parameter then gets one value per trial
(the initial value times a uniform factor in [0.9, 1.1]: the shape of the work inside
NUTS for a model whose parameters vary by trial), and ``jax.value_and_grad`` of the
summed log density with respect to all of them is jitted and timed (warm-up excluded,
best of ``--repeats``, ``block_until_ready``), in float64. Prints one line per family:
wall-clock and process-CPU nanoseconds per trial (the CPU figure stays meaningful when
other processes share the cores).

Run with ``python benchmarks/families.py [lba3 racing_diffusion_3 ...] [--trials N]``.
"""

from __future__ import annotations

import argparse
import time

import jax
import jax.numpy as jnp
import numpy as np

import hierax as hx
from hierax.families import get_family

jax.config.update("jax_enable_x64", True)


def _inputs(name: str, n: int) -> tuple[jax.Array, dict[str, jax.Array]]:
    family = get_family(name)
    start = {p.name: p.default if p.default is not None else p.init for p in family.params}
    data = hx.simulate_data(family, start, size=n, seed=0)
    obs = jnp.asarray(data[list(family.response)].to_numpy().squeeze())
    rng = np.random.default_rng(1)
    params = {k: jnp.asarray(v * rng.uniform(0.9, 1.1, n)) for k, v in start.items()}
    if "t" in params:  # below every response time, so that each trial has a density
        params["t"] = jnp.minimum(params["t"], 0.5 * float(data["rt"].min()))
    return obs, params


def time_family(name: str, n: int, repeats: int) -> tuple[float, float]:
    """Best wall-clock and process-CPU nanoseconds per trial of value + gradient."""
    family = get_family(name)
    obs, params = _inputs(name, n)
    names = family.param_names

    def total(values):
        return jnp.sum(family.logpdf(obs, *(values[k] for k in names)))

    step = jax.jit(jax.value_and_grad(total))
    jax.block_until_ready(step(params))
    best_wall = best_cpu = np.inf
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        jax.block_until_ready(step(params))
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall / n * 1e9, best_cpu / n * 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", help="family names (default: every SSM)")
    parser.add_argument("--trials", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    models = args.models or [
        n
        for n in hx.list_families()
        if get_family(n).kind == "rt_choice" and get_family(n).has_simulator
    ]
    for name in models:
        wall, cpu = time_family(name, args.trials, args.repeats)
        print(f"{name:22s} value+grad {wall:9,.0f} ns/trial wall, {cpu:9,.0f} ns/trial CPU")


if __name__ == "__main__":
    main()
