"""What each ``hierax`` command does: read the inputs, call the Python API, write the outputs.

A fit directory holds ``idata.nc`` (the InferenceData), ``summary.csv``,
``model.txt`` (``print(model)``), ``fit.json`` (the specification, so that
``hierax plot`` can rebuild the model) and the plots.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import arviz as az
import matplotlib.pyplot as plt
import pandas as pd

import hierax as hx
from hierax.plots._common import default_var_names
from hierax.simulate import simulate_data

__all__ = [
    "UsageError",
    "cmd_datasets",
    "cmd_demo",
    "cmd_fit",
    "cmd_plot",
    "cmd_simulate",
    "cmd_summary",
    "parse_theta",
    "read_table",
    "write_plots",
    "write_table",
]

PROG = "hierax"

# Files a fit directory holds (written by ``fit``/``demo --out``, read by ``summary``/``plot``).
IDATA_FILE = "idata.nc"
SUMMARY_FILE = "summary.csv"
MODEL_FILE = "model.txt"
SPEC_FILE = "fit.json"

# Posterior-predictive draws simulated for the plots of a fit directory.
DEFAULT_PPC_DRAWS = 100
# The demo's sampler settings: the usual 4 x (1000 + 1000), which reaches a bulk ESS
# above 400 for every variable (about 40 seconds on 2 cores; docs/performance.md).
DEMO_DRAWS, DEMO_TUNE, DEMO_CHAINS = 1000, 1000, 4
DEMO_FORMULA = "y ~ 1 + (1|participant_id)"


class UsageError(Exception):
    """A user mistake the command line can name precisely (reported without a traceback)."""


# ----------------------------------------------------------------------------
# Reading and writing
# ----------------------------------------------------------------------------


def read_table(path: str | Path) -> Any:
    """Read a ``.csv`` or ``.parquet`` file into a DataFrame."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"data file {str(path)!r} not found.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return pd.read_csv(path)
    if suffix == ".parquet":
        try:
            return pd.read_parquet(path)
        except ImportError as exc:
            raise UsageError(
                f"reading {str(path)!r} needs a parquet engine: pip install pyarrow ({exc})."
            ) from exc
    raise UsageError(f"data file {str(path)!r} must end in .csv or .parquet.")


def write_table(frame: Any, path: str | Path) -> None:
    """Write a DataFrame to ``.csv`` or ``.parquet`` by suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise UsageError(f"output file {str(path)!r} must end in .csv or .parquet.")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)


def _fit_dir(path: str) -> Path:
    folder = Path(path)
    if not (folder / IDATA_FILE).is_file():
        raise UsageError(
            f"{str(folder)!r} is not a fit directory: it has no {IDATA_FILE} "
            "(write one with 'hierax fit DATA --out DIR')."
        )
    return folder


def parse_theta(items: Sequence[str]) -> dict[str, float]:
    """``["v=0.5", "a=1"]`` -> ``{"v": 0.5, "a": 1.0}``, naming the first bad item."""
    theta: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--theta: expected NAME=VALUE, got {item!r}.")
        try:
            theta[name.strip()] = float(value)
        except ValueError:
            raise UsageError(
                f"--theta: the value of {name.strip()!r} is not a number: {value!r}."
            ) from None
    return theta


# ----------------------------------------------------------------------------
# Commands
# ----------------------------------------------------------------------------


def _say(args: argparse.Namespace, *text: Any) -> None:
    if not args.quiet:
        print(*text)


def _model_from_spec(data: Any, spec: dict[str, Any]) -> Any:
    kwargs: dict[str, Any] = {
        "model": spec["model"],
        "include": spec.get("params") or None,
        "global_formula": spec.get("global_formula"),
        "prior_settings": spec.get("prior_settings", "safe"),
        "link_settings": spec.get("link_settings"),
    }
    if spec.get("response"):
        kwargs["response"] = spec["response"]
    if "p_outlier" in spec:
        kwargs["p_outlier"] = spec["p_outlier"]
    return hx.Model(data, **kwargs)


def _default_cond(model: Any, cond: str | None) -> str | None:
    if cond is not None:
        return None if cond.lower() == "none" else cond
    return "stim" if "stim" in model.data.columns else None


def write_plots(
    folder: Path,
    model: Any,
    idata: Any,
    *,
    by: str | None = None,
    cond: str | None = None,
    fmt: str = "png",
    ppc_draws: int = DEFAULT_PPC_DRAWS,
) -> list[Path]:
    """Trace, forest, posterior-predictive and quantile-probability plots into ``folder``."""
    written = []

    def save(name: str, make: Callable[[Path], Any]) -> None:
        path = folder / f"{name}.{fmt}"
        plt.close(make(path))
        written.append(path)

    save("trace", lambda p: hx.plot_trace(idata, path=p))
    save("forest", lambda p: hx.plot_forest(idata, combined=True, path=p))
    if model is None:
        return written
    if "posterior_predictive" not in idata.groups():
        sampler = getattr(model, "sample_posterior_predictive", None)
        if sampler is None:
            return written
        result = sampler(idata=idata, draws=ppc_draws)
        idata = result if result is not None else idata
    save(
        "posterior_predictive", lambda p: hx.plot_posterior_predictive(model, idata, by=by, path=p)
    )
    if model.family.is_ssm:
        cond = _default_cond(model, cond)
        save(
            "quantile_probability",
            lambda p: hx.plot_quantile_probability(model, idata, cond=cond, path=p),
        )
    return written


def _sample(model: Any, args: argparse.Namespace) -> Any:
    return model.sample(
        draws=args.draws,
        tune=args.tune,
        chains=args.chains,
        seed=args.seed,
        progress=not args.quiet,
    )


def _save_fit(
    folder: Path, model: Any, idata: Any, spec: dict[str, Any], args: argparse.Namespace
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MODEL_FILE).write_text(str(model) + "\n")
    (folder / SPEC_FILE).write_text(json.dumps(spec, indent=2) + "\n")
    model.summary(idata).to_csv(folder / SUMMARY_FILE)
    idata.to_netcdf(str(folder / IDATA_FILE))
    if not args.no_plots:
        groups = set(idata.groups())
        write_plots(folder, model, idata, by=args.by, cond=args.cond, ppc_draws=args.ppc_draws)
        if set(idata.groups()) != groups:  # the plots added a posterior_predictive group
            idata.to_netcdf(str(folder / IDATA_FILE))
    _say(args, f"Wrote {folder}/: {', '.join(sorted(p.name for p in folder.iterdir()))}")


def cmd_fit(args: argparse.Namespace) -> None:
    data = read_table(args.data)
    spec = {
        "data": str(Path(args.data).resolve()),
        "model": args.model,
        "global_formula": args.global_formula,
        "params": args.param,
        "prior_settings": args.prior_settings,
        "link_settings": args.link_settings,
        "response": args.response.split(",") if args.response else None,
        "sampler": {
            "draws": args.draws,
            "tune": args.tune,
            "chains": args.chains,
            "seed": args.seed,
        },
    }
    if hasattr(args, "p_outlier"):
        spec["p_outlier"] = args.p_outlier
    model = _model_from_spec(data, spec)
    _say(args, model, "")
    idata = _sample(model, args)
    _say(args, model.summary(idata).to_string())
    _save_fit(Path(args.out), model, idata, spec, args)


def cmd_demo(args: argparse.Namespace) -> None:
    data = hx.load_data("cavanagh_theta")
    if args.participants is not None:
        keep = sorted(data["participant_id"].unique())[: args.participants]
        data = data[data["participant_id"].isin(keep)].reset_index(drop=True)
    model = hx.Model(data, global_formula=DEMO_FORMULA, prior_settings="safe")
    _say(args, model, "")
    idata = _sample(model, args)
    print(model.summary(idata).to_string())
    if args.out is not None:
        spec = {
            "dataset": "cavanagh_theta",
            "participants": args.participants,
            "model": "ddm",
            "global_formula": DEMO_FORMULA,
            "prior_settings": "safe",
        }
        _save_fit(Path(args.out), model, idata, spec, args)


def _load_fit(folder: Path) -> tuple[Any, Any]:
    """The InferenceData of a fit directory and its model (None when it cannot be rebuilt)."""
    idata = az.from_netcdf(str(folder / IDATA_FILE))
    spec_path = folder / SPEC_FILE
    if not spec_path.is_file():
        return idata, None
    spec = json.loads(spec_path.read_text())
    if "dataset" in spec:
        data = hx.load_data(spec["dataset"])
        if spec.get("participants") is not None:
            keep = sorted(data["participant_id"].unique())[: spec["participants"]]
            data = data[data["participant_id"].isin(keep)].reset_index(drop=True)
    else:
        data = read_table(spec["data"])
    return idata, _model_from_spec(data, spec)


def cmd_summary(args: argparse.Namespace) -> None:
    idata = az.from_netcdf(str(_fit_dir(args.dir) / IDATA_FILE))
    names = args.var_names or default_var_names(idata)
    missing = [n for n in names if n not in idata.posterior]
    if missing:
        raise UsageError(
            f"no posterior variable(s) {', '.join(map(repr, missing))}; the "
            f"variables are: {', '.join(default_var_names(idata))}."
        )
    print(az.summary(idata, var_names=names).to_string())


def cmd_plot(args: argparse.Namespace) -> None:
    folder = _fit_dir(args.dir)
    idata, model = _load_fit(folder)
    written = write_plots(
        folder, model, idata, by=args.by, cond=args.cond, fmt=args.format, ppc_draws=args.ppc_draws
    )
    _say(args, "Wrote " + ", ".join(str(p) for p in written))


def cmd_simulate(args: argparse.Namespace) -> None:
    theta = parse_theta(args.theta)
    data = simulate_data(args.model, theta, size=args.size, seed=args.seed)
    if args.out is None:
        data.to_csv(sys.stdout, index=False)
    else:
        write_table(data, args.out)
        _say(args, f"Wrote {len(data)} rows to {args.out}")


def cmd_datasets(args: argparse.Namespace) -> None:
    for name in hx.list_data():
        frame = hx.load_data(name)
        print(f"{name}  {len(frame)} rows  {', '.join(map(str, frame.columns))}")
