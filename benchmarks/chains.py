"""Wall time of NUTS per ``chain_method`` on cavanagh_theta (which default to pick).

Each method runs in a fresh Python process (``parallel`` needs one CPU device
per chain, which must be set before JAX starts). Reports total wall time of
``model.sample`` (compilation included) and of a second, compiled run.

Run with ``python benchmarks/chains.py [--draws 200 --tune 200 --chains 2]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

_CHILD = """
import json, sys, time, warnings
import hierax as hx
method, chains, draws, tune = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
if method == "parallel":
    hx.set_host_device_count(chains)
data = hx.load_data("cavanagh_theta")
model = hx.Model(data, global_formula="y ~ 1 + (1|participant_id)", p_outlier=None)
times = []
for seed in (0, 1):
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.sample(draws=draws, tune=tune, chains=chains, seed=seed, chain_method=method,
                     progress=False, log_likelihood=False)
    times.append(time.perf_counter() - start)
print(json.dumps({"method": method, "first_s": times[0], "second_s": times[1]}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--tune", type=int, default=200)
    parser.add_argument("--chains", type=int, default=2)
    parser.add_argument("--methods", nargs="+", default=["sequential", "vectorized", "parallel"])
    args = parser.parse_args()
    for method in args.methods:
        argv = [method, str(args.chains), str(args.draws), str(args.tune)]
        result = subprocess.run(
            [sys.executable, "-c", _CHILD, *argv], capture_output=True, text=True, check=True
        )
        row = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"{row['method']:>10}: first run {row['first_s']:7.1f} s, "
            f"second run {row['second_s']:7.1f} s  ({args.chains} chains, "
            f"{args.tune}+{args.draws} iterations)"
        )


if __name__ == "__main__":
    main()
