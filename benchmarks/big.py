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

import pandas as pd
from sampling import _tree_depth, timed_fit  # this folder is on sys.path when run as a script

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

    import jax

    import hierax as hx
    from hierax.inference.ez import ez_initial_values

    data = tiled_data(args.tiles)
    noncentered = {"true": True, "false": False}.get(args.noncentered, args.noncentered)
    model = hx.Model(data, global_formula=FORMULA, noncentered=noncentered)
    kwargs = {
        "chain_method": args.chain_method,
        "floatX": args.floatX,
        "progress": False,
        "log_likelihood": False,
        "diagnose": False,
        "initvals": ez_initial_values(model.resolved),
        "max_tree_depth": _tree_depth(args.max_tree_depth),
    }
    print(
        f"{len(data)} trials, {data['participant_id'].nunique()} participants, "
        f"{args.floatX}, {args.chains} {args.chain_method} chains on {jax.default_backend()}"
    )
    result = timed_fit(model, args, kwargs, "hierax big", compile_chains=args.chains)
    print(result.line())


if __name__ == "__main__":
    main()
