"""Peak memory of the pointwise log likelihood and the posterior predictive at scale.

A DDM with ``v ~ 1 + x + (1|participant_id)`` on N synthetic trials, and a
synthetic posterior of D draws (4 chains) near plausible values: no sampling.
Each computation runs in a fresh process; the peak resident set size
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is reported next to the size of
the result array itself and the baseline RSS before the computation.

Run with ``python benchmarks/memory.py`` (default 100 000 trials x 4000 draws);
``--trials``, ``--draws``, ``--dtype`` and ``--what`` change the defaults.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

_CHILD = """
import json, resource, sys, time
import numpy as np, pandas as pd, arviz as az
import hierax as hx
from hierax.results.idata import pointwise_log_likelihood
from hierax.results.predictive import posterior_predictive

what, n, draws, dtype = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = np.random.default_rng(0)
n_groups = 50
data = pd.DataFrame({"rt": rng.uniform(0.5, 2.0, n), "response": rng.choice([-1.0, 1.0], n),
                     "x": rng.normal(size=n), "participant_id": rng.integers(0, n_groups, n)})
model = hx.Model(data, include=[{"name": "v", "formula": "v ~ 1 + x + (1|participant_id)"}],
                 p_outlier=None)
chains = 4
shape = (chains, draws // chains)
posterior = {
    "v_Intercept": rng.normal(0.3, 0.05, shape), "v_x": rng.normal(0.5, 0.05, shape),
    "v_1|participant_id_sigma": rng.uniform(0.2, 0.4, shape),
    "v_1|participant_id_offset": rng.normal(size=shape + (n_groups,)),
    "a": rng.uniform(0.9, 1.1, shape), "z": rng.uniform(0.45, 0.55, shape),
    "t": rng.uniform(0.2, 0.3, shape),
}
posterior["v_1|participant_id"] = (posterior["v_1|participant_id_sigma"][..., None]
                                   * posterior["v_1|participant_id_offset"])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
start = time.perf_counter()
if what == "log_likelihood":
    latent = {k: v for k, v in posterior.items() if k != "v_1|participant_id"}
    out = pointwise_log_likelihood(model.model_fn, latent, model.resolved.arrays,
                                   model.resolved.obs_site, dtype=dtype)
else:
    idata = az.from_dict(posterior=posterior)
    out = posterior_predictive(model.model_fn, model.resolved, idata, seed=0,
                               dtype=dtype).posterior_predictive["rt,response"].values
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
print(json.dumps({"what": what, "shape": list(out.shape), "dtype": str(out.dtype),
                  "result_gb": out.nbytes / 2**30, "baseline_gb": base, "peak_gb": peak,
                  "finite": bool(np.isfinite(out).all()), "seconds": elapsed}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--draws", type=int, default=4000)
    parser.add_argument("--dtype", default="float64")
    parser.add_argument("--what", nargs="+", default=["log_likelihood", "posterior_predictive"])
    args = parser.parse_args()
    for what in args.what:
        argv = [what, str(args.trials), str(args.draws), args.dtype]
        result = subprocess.run(
            [sys.executable, "-c", _CHILD, *argv], capture_output=True, text=True
        )
        if result.returncode:
            print(f"{what}: failed\n{result.stderr[-2000:]}")
            continue
        row = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"{row['what']:>20}: {args.trials} trials x {args.draws} draws, {row['dtype']}: "
            f"result {row['result_gb']:.2f} GB, peak RSS {row['peak_gb']:.2f} GB "
            f"(baseline {row['baseline_gb']:.2f} GB), {row['seconds']:.0f} s, "
            f"all finite: {row['finite']}"
        )


if __name__ == "__main__":
    main()
