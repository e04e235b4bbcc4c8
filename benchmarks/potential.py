"""Cost of one value + gradient of a model's potential energy, the unit of NUTS work.

The model is the sampling benchmark's (``benchmarks/sampling.py``): the hierarchical DDM
``global_formula="y ~ 1 + (1|participant_id)"`` on cavanagh_theta, with the default
lapse or, with ``--no-lapse``, without one. The potential is NumPyro's (unconstrained
space, Jacobians included), evaluated at hierax's start values; ``jax.lax.fori_loop``
runs ``--evaluations`` evaluations inside one compiled program (each step moves the
point by 1e-9 times the gradient, so nothing can be hoisted out of the loop). Printed:
microseconds per evaluation, wall and CPU (all threads). Pin it to one core with
``taskset -c 0`` for a per-core figure.

Run with ``python benchmarks/potential.py``; ``--no-lapse``, ``--floatX float32``.
"""

from __future__ import annotations

import argparse
import time

from sampling import FORMULA, _cpu_s  # this folder is on sys.path when run as a script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-lapse", action="store_true", help="p_outlier=None")
    parser.add_argument("--floatX", choices=("float64", "float32"), default="float64")
    parser.add_argument("--evaluations", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    import jax
    from numpyro.infer import init_to_value
    from numpyro.infer.util import initialize_model

    import hierax as hx
    from hierax._config import precision
    from hierax.inference.initial import initial_values

    data = hx.load_data("cavanagh_theta")
    lapse = {"p_outlier": None} if args.no_lapse else {}
    model = hx.Model(data, global_formula=FORMULA, **lapse)
    with precision(args.floatX):
        arrays = {k: jax.numpy.asarray(v) for k, v in model.resolved.arrays.items()}
        info = initialize_model(
            jax.random.PRNGKey(0)[None],
            model.model_fn,
            model_args=(arrays,),
            dynamic_args=True,
            init_strategy=init_to_value(values=initial_values(model.resolved)),
        )
        start = jax.tree.map(lambda x: x[0], info.param_info.z)
        potential = info.potential_fn

        @jax.jit
        def evaluations(z, arrays):
            energy = potential(arrays)

            def step(_, carry):
                point, total = carry
                value, grad = jax.value_and_grad(energy)(point)
                point = jax.tree.map(lambda x, g: x + 1e-9 * g, point, grad)
                return point, total + value

            return jax.lax.fori_loop(0, args.evaluations, step, (z, 0.0))

        jax.block_until_ready(evaluations(start, arrays))
        best_wall, best_cpu = float("inf"), float("inf")
        for _ in range(args.repeats):
            wall, cpu = time.perf_counter(), _cpu_s()
            jax.block_until_ready(evaluations(start, arrays))
            best_wall = min(best_wall, time.perf_counter() - wall)
            best_cpu = min(best_cpu, _cpu_s() - cpu)
    scale = 1e6 / args.evaluations
    label = "without lapse" if args.no_lapse else "with lapse"
    print(
        f"{len(data)} trials, {label}, {args.floatX}: value + gradient "
        f"{best_wall * scale:.0f} us wall, {best_cpu * scale:.0f} us CPU per evaluation"
    )


if __name__ == "__main__":
    main()
