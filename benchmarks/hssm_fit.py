"""HSSM's fit of the sampling benchmark's model, for ``benchmarks/sampling.py --hssm``.

Runs in an environment where HSSM is installed (Python >= 3.12). HSSM 0.5.0 needs
ArviZ 1.x and hierax ArviZ 0.x, so the two cannot share one environment; sampling.py
starts this script with the interpreter given by ``--hssm-python`` and reads the one
JSON line it prints. It imports neither hierax nor anything from this repository.

Usage: ``python benchmarks/hssm_fit.py --chains 2 --draws 500 --tune 500 --seed 0``.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import numpy as np

FORMULA = "y ~ 1 + (1|participant_id)"


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime


def _bulk_ess(values: np.ndarray) -> np.ndarray:
    """Bulk ESS of each variable component; ``values`` is (chain, draw, *shape)."""
    import arviz as az

    flat = values.reshape(values.shape[0], values.shape[1], -1)
    return np.array([float(az.ess(flat[:, :, i], method="bulk")) for i in range(flat.shape[2])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--tune", type=int, default=1000)
    parser.add_argument("--chains", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import hssm

    data = hssm.load_data("cavanagh_theta")
    model = hssm.HSSM(data=data, global_formula=FORMULA, prior_settings="safe")
    start, cpu = time.perf_counter(), _cpu_s()
    idata = model.sample(
        chains=args.chains,
        cores=args.chains,
        draws=args.draws,
        tune=args.tune,
        random_seed=args.seed,
        progressbar=False,
    )
    wall_s, cpu_s = time.perf_counter() - start, _cpu_s() - cpu
    posterior, stats = idata["posterior"], idata["sample_stats"]
    ess = {
        name: float(_bulk_ess(np.asarray(posterior[name].values)).min())
        for name in posterior.data_vars
        if not name.endswith("_offset")
    }
    worst = min(ess, key=ess.get)
    steps = np.asarray(stats["n_steps"].values) if "n_steps" in stats else np.array([np.nan])
    print(
        json.dumps(
            {
                "label": f"hssm {hssm.__version__} (PyMC NUTS)",
                "compile_s": float("nan"),
                "wall_s": wall_s,
                "cpu_s": cpu_s,
                "min_ess": ess[worst],
                "worst": worst,
                "divergences": int(np.asarray(stats["diverging"].values).sum()),
                "steps_per_draw": float(steps.mean()),
            }
        )
    )


if __name__ == "__main__":
    main()
