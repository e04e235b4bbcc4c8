"""Sampling efficiency of the hierarchical DDM on cavanagh_theta (min-ESS per second).

The model is ``hx.Model(data, global_formula="y ~ 1 + (1|participant_id)")``: safe
priors, identity links, the default lapse mixture (p_outlier = 0.05, rt ~ Uniform(0, 20)).
NUTS runs ``--chains`` chains of ``--tune`` warm-up steps and ``--draws`` draws.

Printed: compile time (a one-step fit with the same chains: tracing, compilation and the
start checks), wall and CPU time of the full fit (compilation included: what a user waits
for), min bulk ESS over the model's named variables (intercepts, group sds and
participant effects; non-centred ``_offset`` sites excluded), min-ESS per second of the
full fit, divergences and mean leapfrog steps per draw. CPU time counts every thread of
this process, so it stays meaningful when other processes share the cores.

Levers (see docs/performance.md): ``--noncentered`` (``auto``, ``true``, ``false``),
``--dense-mass`` (``none``, ``full``, ``groups``: one dense block of all group effects),
``--init ez`` (start at per-participant EZ-diffusion estimates), ``--floatX``,
``--chain-method``, ``--target-accept``, ``--max-tree-depth``. ``--devices N`` calls
:func:`hierax.set_host_device_count` first (needed for ``--chain-method parallel``).

``--hssm`` also fits HSSM's same model (``hssm.HSSM(..., prior_settings="safe")``, PyMC
NUTS, same chains, draws, tune and seed) in the same run and prints the ratio of
min-ESS/s. HSSM needs Python >= 3.12 and ArviZ 1.x, hierax ArviZ 0.x, so HSSM runs in
its own environment: ``--hssm-python /path/to/hssm-env/bin/python`` (it runs
``benchmarks/hssm_fit.py`` there).

Run with ``python benchmarks/sampling.py`` (4 x (1000 + 1000)); lever screening with
e.g. ``python benchmarks/sampling.py --chains 2 --draws 500 --tune 500 --noncentered false``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

FORMULA = "y ~ 1 + (1|participant_id)"
# HSSM 0.5.0, same model, 2 chains x (500 + 500) on a 2-core machine like ours
# (shared/BENCHMARKS.md): used for the ratio when HSSM cannot be run here.
HSSM_REFERENCE_ESS_PER_S = 0.159


@dataclass
class Result:
    """One fit's timings and efficiency."""

    label: str
    compile_s: float
    wall_s: float
    cpu_s: float
    min_ess: float
    worst: str
    divergences: int
    steps_per_draw: float

    @property
    def ess_per_s(self) -> float:
        return self.min_ess / self.wall_s

    def line(self) -> str:
        return (
            f"{self.label}: compile {self.compile_s:.1f} s, fit {self.wall_s:.1f} s wall / "
            f"{self.cpu_s:.1f} s CPU, min bulk ESS {self.min_ess:.0f} ({self.worst}), "
            f"{self.ess_per_s:.2f} min-ESS/s, {self.divergences} divergences, "
            f"{self.steps_per_draw:.1f} leapfrog steps/draw"
        )


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _min_ess(idata, names) -> tuple[float, str]:
    import arviz as az

    ess = az.ess(idata, var_names=list(names), method="bulk")
    values = {name: float(ess[name].min()) for name in names}
    worst = min(values, key=values.get)
    return values[worst], worst


def _tree_depth(text: str) -> int | tuple[int, int]:
    depths = tuple(int(x) for x in text.split(","))
    return depths[0] if len(depths) == 1 else depths


def _dense_mass(model, kind: str):
    if kind == "none":
        return False
    if kind == "full":
        return True
    from hierax.inference.sites import model_sites

    latent = model_sites(model.model_fn, model.resolved.arrays).latent
    group = tuple(name for name in latent if "|" in name and not name.endswith("_sigma"))
    return [group]


def fit_hierax(args: argparse.Namespace, data) -> Result:
    """Fit the benchmark model with hierax and the chosen levers."""
    import hierax as hx
    from hierax.inference.ez import ez_initial_values

    noncentered = {"true": True, "false": False}.get(args.noncentered, args.noncentered)
    model = hx.Model(
        data,
        global_formula=FORMULA,
        noncentered=noncentered,
        prior_settings=None if args.prior_settings == "none" else args.prior_settings,
    )
    kwargs = {
        "chain_method": args.chain_method,
        "floatX": args.floatX,
        "progress": False,
        "log_likelihood": False,
        "diagnose": False,
        "target_accept_prob": args.target_accept,
        "dense_mass": _dense_mass(model, args.dense_mass),
    }
    if args.max_tree_depth is not None:  # else hierax's default (7 in warm-up, 10 after)
        kwargs["max_tree_depth"] = _tree_depth(args.max_tree_depth)
    if args.init == "ez":
        kwargs["initvals"] = ez_initial_values(model.resolved)
    label = (
        f"hierax priors={args.prior_settings} noncentered={args.noncentered} "
        f"dense={args.dense_mass} init={args.init} "
        f"depth={args.max_tree_depth or 'default'} {args.floatX} {args.chain_method or 'default'}"
    )
    return timed_fit(model, args, kwargs, label, compile_chains=args.chains)


def timed_fit(model, args, kwargs: dict, label: str, compile_chains: int) -> Result:
    """Time a one-step fit (compilation) and the full fit of ``model``; measure ESS."""
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.sample(draws=1, tune=1, chains=compile_chains, seed=args.seed, **kwargs)
    compile_s = time.perf_counter() - start
    start, cpu = time.perf_counter(), _cpu_s()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        idata = model.sample(
            draws=args.draws, tune=args.tune, chains=args.chains, seed=args.seed, **kwargs
        )
    wall_s, cpu_s = time.perf_counter() - start, _cpu_s() - cpu
    names = [v for v in idata.posterior.data_vars if not v.endswith("_offset")]
    min_ess, worst = _min_ess(idata, names)
    stats = idata.sample_stats
    return Result(
        label=label,
        compile_s=compile_s,
        wall_s=wall_s,
        cpu_s=cpu_s,
        min_ess=min_ess,
        worst=worst,
        divergences=int(stats["diverging"].sum()),
        steps_per_draw=float(stats["n_steps"].mean()),
    )


def fit_hssm(args: argparse.Namespace) -> Result | None:
    """HSSM's same model (PyMC NUTS) in ``--hssm-python``'s environment; ``None`` if absent.

    HSSM 0.5.0 needs ArviZ 1.x and hierax ArviZ 0.x, so HSSM runs in its own interpreter
    (``benchmarks/hssm_fit.py``, same chains, draws, tune and seed), started from here.
    """
    script = Path(__file__).with_name("hssm_fit.py")
    command = [args.hssm_python, str(script), "--chains", str(args.chains)]
    command += ["--draws", str(args.draws), "--tune", str(args.tune), "--seed", str(args.seed)]
    run = subprocess.run(command, capture_output=True, text=True)
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    if run.returncode != 0 or not lines:
        reason = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else "no output"
        print(
            f"--hssm: HSSM could not be run with {args.hssm_python} ({reason}). Install it "
            "in a Python >= 3.12 environment (`pip install hssm`) and pass that "
            "interpreter as --hssm-python. Using the reference figure "
            f"{HSSM_REFERENCE_ESS_PER_S} min-ESS/s from shared/BENCHMARKS.md for the ratio."
        )
        return None
    return Result(**json.loads(lines[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--tune", type=int, default=1000)
    parser.add_argument("--chains", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--noncentered", choices=("auto", "true", "false"), default="auto")
    parser.add_argument(
        "--prior-settings",
        choices=("safe", "scaled", "none"),
        default="safe",
        help="the Model's prior_settings (default safe: HSSM's priors)",
    )
    parser.add_argument("--dense-mass", choices=("none", "full", "groups"), default="none")
    parser.add_argument("--init", choices=("default", "ez"), default="default")
    parser.add_argument("--floatX", choices=("float64", "float32"), default="float64")
    parser.add_argument(
        "--chain-method", choices=("sequential", "vectorized", "parallel"), default=None
    )
    parser.add_argument("--devices", type=int, default=None, help="CPU devices for JAX")
    parser.add_argument("--target-accept", type=float, default=0.8)
    parser.add_argument(
        "--max-tree-depth",
        default=None,
        help="e.g. 10, or 7,10 (warm-up, sampling); default hierax's (7,10)",
    )
    parser.add_argument("--hssm", action="store_true", help="also fit HSSM's model")
    parser.add_argument(
        "--hssm-python",
        default=sys.executable,
        help="interpreter of an environment with HSSM installed (default: this one)",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON line too")
    args = parser.parse_args()

    import hierax as hx

    if args.devices:
        hx.set_host_device_count(args.devices)
    data = hx.load_data("cavanagh_theta")
    result = fit_hierax(args, data)
    print(result.line())
    if args.json:
        print(json.dumps({**asdict(result), "ess_per_s": result.ess_per_s}))
    if args.hssm:
        reference = fit_hssm(args)
        if reference is not None:
            print(reference.line())
        base = reference.ess_per_s if reference is not None else HSSM_REFERENCE_ESS_PER_S
        print(f"hierax / HSSM min-ESS/s: {result.ess_per_s / base:.1f}x")


if __name__ == "__main__":
    main()
