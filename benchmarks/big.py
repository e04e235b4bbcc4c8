"""The hierarchical DDM on ~1M trials: cavanagh_theta tiled, one GPU, vectorised chains.

cavanagh_theta (3988 trials, 14 participants) is copied ``--tiles`` times (default
250: 3500 participants, 997k trials), each copy with new participant ids, and fitted
with ``hx.Model(data, global_formula="y ~ 1 + (1|participant_id)")`` (safe priors,
default lapse) in float32, chains vectorised (all chains in one program). Prints
the same figures as ``benchmarks/sampling.py``: compile time, fit wall and CPU time,
min bulk ESS, min-ESS/s, divergences, mean leapfrog steps per draw.

On a GPU: ``python benchmarks/big.py`` (4 x (300 + 300)). Smoke check on a CPU:
``python benchmarks/big.py --tiles 2 --chains 2 --draws 50 --tune 50``.
"""

from __future__ import annotations

import argparse
import resource
import time
import warnings

import pandas as pd

FORMULA = "y ~ 1 + (1|participant_id)"


def tiled_data(tiles: int) -> pd.DataFrame:
    """cavanagh_theta repeated ``tiles`` times, participants renumbered per copy."""
    import hierax as hx

    data = hx.load_data("cavanagh_theta")
    n_participants = int(data["participant_id"].max()) + 1
    copies = []
    for k in range(tiles):
        copy = data.copy()
        copy["participant_id"] = copy["participant_id"] + k * n_participants
        copies.append(copy)
    return pd.concat(copies, ignore_index=True)


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiles", type=int, default=250)
    parser.add_argument("--chains", type=int, default=4)
    parser.add_argument("--draws", type=int, default=300)
    parser.add_argument("--tune", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--floatX", choices=("float32", "float64"), default="float32")
    parser.add_argument("--noncentered", choices=("auto", "true", "false"), default="auto")
    parser.add_argument(
        "--chain-method", choices=("vectorized", "sequential", "parallel"), default="vectorized"
    )
    parser.add_argument("--max-tree-depth", default="7,10", help="e.g. 10, or 7,10")
    args = parser.parse_args()

    import arviz as az
    import jax

    import hierax as hx
    from hierax.inference.ez import ez_initial_values

    data = tiled_data(args.tiles)
    noncentered = {"true": True, "false": False}.get(args.noncentered, args.noncentered)
    model = hx.Model(data, global_formula=FORMULA, noncentered=noncentered)
    depths = tuple(int(x) for x in args.max_tree_depth.split(","))
    kwargs = {
        "chain_method": args.chain_method,
        "floatX": args.floatX,
        "progress": False,
        "log_likelihood": False,
        "diagnose": False,
        "initvals": ez_initial_values(model.resolved),
        "max_tree_depth": depths[0] if len(depths) == 1 else depths,
    }
    print(
        f"{len(data)} trials, {data['participant_id'].nunique()} participants, "
        f"{args.floatX}, {args.chains} {args.chain_method} chains on {jax.default_backend()}"
    )
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.sample(draws=1, tune=1, chains=args.chains, seed=args.seed, **kwargs)
    compile_s = time.perf_counter() - start
    start, cpu = time.perf_counter(), _cpu_s()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        idata = model.sample(
            draws=args.draws, tune=args.tune, chains=args.chains, seed=args.seed, **kwargs
        )
    wall_s, cpu_s = time.perf_counter() - start, _cpu_s() - cpu
    names = [v for v in idata.posterior.data_vars if not v.endswith("_offset")]
    ess = az.ess(idata, var_names=names, method="bulk")
    per_var = {name: float(ess[name].min()) for name in names}
    worst = min(per_var, key=per_var.get)
    stats = idata.sample_stats
    print(
        f"compile {compile_s:.1f} s, fit {wall_s:.1f} s wall / {cpu_s:.1f} s CPU, "
        f"min bulk ESS {per_var[worst]:.0f} ({worst}), {per_var[worst] / wall_s:.2f} "
        f"min-ESS/s, {int(stats['diverging'].sum())} divergences, "
        f"{float(stats['n_steps'].mean()):.1f} leapfrog steps/draw"
    )


if __name__ == "__main__":
    main()
