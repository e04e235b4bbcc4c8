"""The ``hierax`` argument parser: one sub-command per job, options named as in the Python API."""

from __future__ import annotations

import argparse

import hierax
from hierax.cli._commands import (
    DEFAULT_PPC_DRAWS,
    DEMO_CHAINS,
    DEMO_DRAWS,
    DEMO_FORMULA,
    DEMO_TUNE,
    PROG,
    cmd_datasets,
    cmd_demo,
    cmd_fit,
    cmd_plot,
    cmd_simulate,
    cmd_summary,
)

__all__ = ["build_parser"]


def _none_or(text: str) -> str | None:
    return None if text.lower() == "none" else text


def _p_outlier(text: str) -> float | None:
    if text.lower() == "none":
        return None
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number in [0, 1) or 'none', got {text!r}"
        ) from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _non_negative_int(text: str) -> int:
    return 0 if text.strip() == "0" else _positive_int(text)


def _param(text: str) -> dict[str, str]:
    """``"v ~ 1 + theta"`` -> ``{"name": "v", "formula": "v ~ 1 + theta"}``."""
    if "~" not in text:
        raise argparse.ArgumentTypeError(
            f"expected a formula such as 'v ~ 1 + theta', got {text!r}"
        )
    name = text.split("~", 1)[0].strip()
    if not name.isidentifier():
        raise argparse.ArgumentTypeError(
            f"the left of '~' must be a parameter name, got {name!r} in {text!r}"
        )
    return {"name": name, "formula": text.strip()}


# ----------------------------------------------------------------------------
# The parser
# ----------------------------------------------------------------------------


def _common() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print only results: no model description, no progress bar",
    )
    parent.add_argument(
        "--debug", action="store_true", help="on an error, show the full Python traceback"
    )
    return parent


def _sampler_options(parser: argparse.ArgumentParser, draws: int, tune: int, chains: int) -> None:
    group = parser.add_argument_group("sampler (Model.sample)")
    group.add_argument(
        "--draws", type=_positive_int, default=draws, help=f"draws kept per chain (default {draws})"
    )
    group.add_argument(
        "--tune",
        type=_non_negative_int,
        default=tune,
        help=f"warm-up steps per chain (default {tune})",
    )
    group.add_argument(
        "--chains", type=_positive_int, default=chains, help=f"number of chains (default {chains})"
    )
    group.add_argument(
        "--seed",
        type=int,
        default=0,
        help="random seed; the same seed gives the same draws (default 0)",
    )


def _output_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("plots")
    group.add_argument(
        "--by", metavar="COLUMN", help="posterior predictive plot: one panel per level of COLUMN"
    )
    group.add_argument(
        "--cond",
        metavar="COLUMN",
        help="quantile-probability plot: conditions from COLUMN "
        "(default 'stim' when the data has it; 'none' for all trials)",
    )
    group.add_argument(
        "--ppc-draws",
        type=_positive_int,
        default=DEFAULT_PPC_DRAWS,
        help=f"posterior predictive draws simulated for the plots (default {DEFAULT_PPC_DRAWS})",
    )


_FORMATTER = argparse.RawDescriptionHelpFormatter


def build_parser() -> argparse.ArgumentParser:
    """The ``hierax`` argument parser with its sub-commands."""
    common = _common()
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Hierarchical Bayesian drift diffusion models (HSSM's API on JAX/NumPyro).",
        epilog="Run 'hierax COMMAND --help' for the options of a command.",
        formatter_class=_FORMATTER,
    )
    parser.add_argument("--version", action="version", version=f"hierax {hierax.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    fit = sub.add_parser(
        "fit",
        parents=[common],
        formatter_class=_FORMATTER,
        help="fit a model to a data file and write the results to a directory",
        description=(
            "Fit a model to DATA and write DIR/idata.nc, DIR/summary.csv, DIR/model.txt and the\n"
            "plots. The Python equivalent:\n\n"
            "    model = hx.Model(data, model=MODEL, global_formula=F, include=[PARAM, ...],\n"
            "                     prior_settings=P, link_settings=L, p_outlier=X)\n"
            "    idata = model.sample(draws=D, tune=T, chains=C, seed=S)"
        ),
        epilog=(
            "example:\n  hierax fit data.csv --global-formula 'y ~ 1 + (1|participant_id)' \\\n"
            "      --param 'v ~ 1 + theta + (1|participant_id)' --draws 500 --out fit/"
        ),
    )
    fit.add_argument("data", help="trial-level data, .csv or .parquet (one row per trial)")
    group = fit.add_argument_group("model (hx.Model)")
    group.add_argument(
        "--model",
        default="ddm",
        help="family name: ddm, full_ddm, lba3, racing_diffusion_3, poisson_race, "
        "softmax_inv_temperature_2, normal, ... (default ddm)",
    )
    group.add_argument(
        "--global-formula",
        metavar="FORMULA",
        help="formula for every parameter not given by --param, e.g. 'y ~ 1 + (1|participant_id)'",
    )
    group.add_argument(
        "--param",
        metavar="FORMULA",
        type=_param,
        action="append",
        default=[],
        help="a parameter's formula, e.g. 'v ~ 1 + theta + (1|participant_id)'; "
        "repeat for several parameters",
    )
    group.add_argument(
        "--prior-settings",
        type=_none_or,
        default="safe",
        metavar="{safe,scaled,none}",
        help="default priors: safe (HSSM's, the default), scaled (hierax's) or none (bambi's)",
    )
    group.add_argument(
        "--link-settings",
        type=_none_or,
        default=None,
        metavar="{log_logit,none}",
        help="log_logit: log/logit links for bounded parameters (default none)",
    )
    group.add_argument(
        "--p-outlier",
        type=_p_outlier,
        default=argparse.SUPPRESS,
        metavar="P",
        help="lapse probability in [0, 1), or 'none' (default 0.05 for SSMs)",
    )
    group.add_argument(
        "--response",
        metavar="COLUMNS",
        help="observed column(s) of a generic family, e.g. y or y,n",
    )
    _sampler_options(fit, 1000, 1000, 4)
    _output_options(fit)
    fit.add_argument(
        "--out", default="hierax-fit", metavar="DIR", help="output directory (default hierax-fit)"
    )
    fit.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    fit.set_defaults(run=cmd_fit)

    sim = sub.add_parser(
        "simulate",
        parents=[common],
        formatter_class=_FORMATTER,
        help="simulate a data set from given parameter values",
        description=(
            "Simulate trials of a model at fixed parameter values. The Python equivalent:\n\n"
            "    data = hx.simulate_data(MODEL, {'v': 0.5, 'a': 1.0, ...}, size=N, seed=S)"
        ),
        epilog=(
            "example:\n  hierax simulate --theta v=0.5 a=1.0 z=0.5 t=0.3 --size 1000 --out data.csv"
        ),
    )
    sim.add_argument(
        "--model",
        default="ddm",
        help="any model with a simulator: ddm, full_ddm, lba3, racing_diffusion_3, "
        "poisson_race, softmax_inv_temperature_3, ... (default ddm)",
    )
    sim.add_argument(
        "--theta",
        nargs="+",
        required=True,
        metavar="NAME=VALUE",
        help="parameter values, e.g. v=0.5 a=1.0 z=0.5 t=0.3",
    )
    sim.add_argument(
        "--size", type=_positive_int, default=1000, help="number of trials (default 1000)"
    )
    sim.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    sim.add_argument(
        "--out", metavar="FILE", help="write to FILE (.csv or .parquet); default: CSV on stdout"
    )
    sim.set_defaults(run=cmd_simulate)

    summary = sub.add_parser(
        "summary",
        parents=[common],
        formatter_class=_FORMATTER,
        help="print the posterior summary of a fit directory",
        description=(
            "Print mean, sd, HDI, ESS and r_hat of a fit directory's posterior. The\n"
            "Python equivalent: model.summary(idata)"
        ),
    )
    summary.add_argument("dir", metavar="DIR", help="a directory written by 'hierax fit'")
    summary.add_argument(
        "--var-names",
        nargs="+",
        metavar="NAME",
        help="variables to summarise (default all but *_offset)",
    )
    summary.set_defaults(run=cmd_summary)

    plot = sub.add_parser(
        "plot",
        parents=[common],
        formatter_class=_FORMATTER,
        help="(re)draw the plots of a fit directory",
        description=(
            "Draw trace, forest, posterior predictive and quantile-probability plots into DIR.\n"
            "The Python equivalents: hx.plot_trace(idata), hx.plot_forest(idata),\n"
            "hx.plot_posterior_predictive(model, by=...), hx.plot_quantile_probability(model)."
        ),
    )
    plot.add_argument("dir", metavar="DIR", help="a directory written by 'hierax fit'")
    _output_options(plot)
    plot.add_argument(
        "--format",
        choices=("png", "svg", "pdf"),
        default="png",
        help="file type of the plots (default png)",
    )
    plot.set_defaults(run=cmd_plot)

    demo = sub.add_parser(
        "demo",
        parents=[common],
        formatter_class=_FORMATTER,
        help="fit a hierarchical DDM to the bundled cavanagh_theta data and print the summary",
        description=(
            "Fit the hierarchical DDM of the README to the bundled cavanagh_theta data:\n\n"
            "    data = hx.load_data('cavanagh_theta')\n"
            f"    model = hx.Model(data, global_formula='{DEMO_FORMULA}', prior_settings='safe')\n"
            "    model.sample(...); print(model.summary())"
        ),
    )
    demo.add_argument(
        "--participants",
        type=_positive_int,
        metavar="N",
        help="use only the first N participants (faster; default all 14)",
    )
    _sampler_options(demo, DEMO_DRAWS, DEMO_TUNE, DEMO_CHAINS)
    demo.add_argument(
        "--out", metavar="DIR", help="also write the results and plots to DIR, as 'fit' does"
    )
    _output_options(demo)
    demo.set_defaults(run=cmd_demo, no_plots=False)

    datasets = sub.add_parser(
        "datasets",
        parents=[common],
        formatter_class=_FORMATTER,
        help="list the bundled data sets",
        description="List the data sets that hx.load_data(name) accepts.",
    )
    datasets.set_defaults(run=cmd_datasets)
    return parser
