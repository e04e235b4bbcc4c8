"""The ``hierax`` command line, run in-process through ``main([...])``.

One small DDM fit (module fixture) is shared by the tests of ``fit``,
``summary`` and ``plot``; error tests stop before any sampling.
"""

import json

import arviz as az
import jax
import numpy as np
import pandas as pd
import pytest

import hierax as hx
from hierax.cli import main
from hierax.simulators import sample_ddm

COMMANDS = ["fit", "simulate", "summary", "plot", "demo", "datasets"]
FORMULA = "y ~ 1 + (1|participant_id)"
TINY = ["--draws", "20", "--tune", "20", "--chains", "1", "--seed", "3"]


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def data_file(tmp_path_factory):
    rt, response = sample_ddm(jax.random.key(0), 0.8, 1.0, 0.5, 0.3, shape=(60,))
    frame = pd.DataFrame(
        {
            "rt": np.asarray(rt),
            "response": np.asarray(response),
            "participant_id": np.repeat([1, 2], 30),
            "stim": np.tile(["easy", "hard"], 30),
        }
    )
    path = tmp_path_factory.mktemp("data") / "tiny.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def fit_dir(data_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("fit") / "result"
    argv = [
        "fit",
        str(data_file),
        "--global-formula",
        FORMULA,
        "--param",
        "v ~ 1 + C(stim)",
        "--p-outlier",
        "none",
        "--ppc-draws",
        "10",
        "--quiet",
        "--out",
        str(out),
        *TINY,
    ]
    assert main(argv) == 0
    return out


# -- help ---------------------------------------------------------------------


def test_top_level_help_lists_the_commands(capsys):
    code, out, _ = _run(capsys, "--help")
    assert code == 0
    for command in COMMANDS:
        assert command in out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(capsys, command):
    code, out, _ = _run(capsys, command, "--help")
    assert code == 0
    assert f"usage: hierax {command}" in out and "--debug" in out


def test_fit_help_reads_like_the_python_api(capsys):
    _, out, _ = _run(capsys, "fit", "--help")
    for text in [
        "hx.Model(data",
        "model.sample(draws=",
        "--global-formula",
        "--param",
        "--prior-settings",
        "--link-settings",
        "--p-outlier",
    ]:
        assert text in out


def test_no_command_is_a_usage_error(capsys):
    code, _, err = _run(capsys)
    assert code == 2 and "usage: hierax" in err


# -- datasets and simulate ----------------------------------------------------


def test_datasets_lists_the_bundled_data(capsys):
    code, out, _ = _run(capsys, "datasets")
    assert code == 0
    assert out.split()[:3] == ["cavanagh_theta", "3988", "rows"]


def test_simulate_writes_the_simulated_data(capsys, tmp_path):
    out = tmp_path / "sim.csv"
    theta = ["v=0.5", "a=1.0", "z=0.5", "t=0.3"]
    code, _, _ = _run(
        capsys,
        "simulate",
        "--theta",
        *theta,
        "--size",
        "50",
        "--seed",
        "4",
        "--out",
        str(out),
        "--quiet",
    )
    assert code == 0
    data = pd.read_csv(out)
    expected = hx.simulate_data("ddm", {"v": 0.5, "a": 1.0, "z": 0.5, "t": 0.3}, size=50, seed=4)
    pd.testing.assert_frame_equal(data, expected.reset_index(drop=True), check_dtype=False)
    code, stdout, _ = _run(capsys, "simulate", "--theta", *theta, "--size", "5")
    assert code == 0 and stdout.splitlines()[0].startswith("rt,response")
    assert len(stdout.splitlines()) == 6


def test_simulate_a_three_choice_model(capsys):
    theta = ["A=0.3", "b=1.0", "v0=2.0", "v1=1.0", "v2=1.2", "t=0.2"]
    code, stdout, _ = _run(
        capsys, "simulate", "--model", "racing_diffusion_3", "--theta", *theta, "--size", "300"
    )
    assert code == 0
    rows = [line.split(",") for line in stdout.splitlines()[1:]]
    assert len(rows) == 300 and {float(r[1]) for r in rows} == {0.0, 1.0, 2.0}
    assert min(float(r[0]) for r in rows) > 0.2  # rt > t


@pytest.mark.parametrize(
    "theta, culprit",
    [(["v0.5"], "'v0.5'"), (["v=fast"], "'v'"), (["=1"], "'=1'")],
)
def test_simulate_bad_theta_names_it(capsys, theta, culprit):
    code, out, err = _run(capsys, "simulate", "--theta", *theta)
    assert code == 1 and out == ""
    assert err.startswith("hierax simulate: error: --theta") and culprit in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


# -- fit, summary, plot -------------------------------------------------------


def test_fit_writes_results(fit_dir, data_file):
    names = {p.name for p in fit_dir.iterdir()}
    assert {
        "idata.nc",
        "summary.csv",
        "model.txt",
        "fit.json",
        "trace.png",
        "forest.png",
        "posterior_predictive.png",
        "quantile_probability.png",
    } <= names
    for png in fit_dir.glob("*.png"):
        assert png.read_bytes().startswith(b"\x89PNG")
    idata = az.from_netcdf(fit_dir / "idata.nc")
    assert idata.posterior.sizes["chain"] == 1 and idata.posterior.sizes["draw"] == 20
    assert "posterior_predictive" in idata.groups()  # simulated for the plots, then saved
    model = hx.Model(
        pd.read_csv(data_file),
        global_formula=FORMULA,
        p_outlier=None,
        include=[{"name": "v", "formula": "v ~ 1 + C(stim)"}],
    )
    assert (fit_dir / "model.txt").read_text() == str(model) + "\n"
    summary = pd.read_csv(fit_dir / "summary.csv", index_col=0)
    expected = model.summary(idata)
    assert list(summary.index) == list(expected.index)
    np.testing.assert_allclose(summary["mean"], expected["mean"], atol=1e-3)
    assert not any(name.endswith("_offset") for name in summary.index)
    spec = json.loads((fit_dir / "fit.json").read_text())
    assert spec["params"] == [{"name": "v", "formula": "v ~ 1 + C(stim)"}]


def test_summary_prints_the_posterior_summary(capsys, fit_dir):
    code, out, _ = _run(capsys, "summary", str(fit_dir))
    assert code == 0
    lines = out.splitlines()
    assert {"mean", "sd", "r_hat"} <= set(lines[0].split())
    rows = {line.split()[0] for line in lines[1:]}
    assert "v_C(stim)[hard]" in rows and "a_1|participant_id_sigma" in rows
    code, out, _ = _run(capsys, "summary", str(fit_dir), "--var-names", "v_Intercept")
    assert code == 0 and len(out.splitlines()) == 2


def test_plot_redraws_from_the_directory(capsys, fit_dir):
    code, out, _ = _run(capsys, "plot", str(fit_dir), "--format", "svg", "--by", "stim")
    assert code == 0 and "posterior_predictive.svg" in out
    for name in ["trace", "forest", "posterior_predictive", "quantile_probability"]:
        assert (fit_dir / f"{name}.svg").read_text().lstrip().startswith("<?xml")


# -- errors -------------------------------------------------------------------


def _one_line_error(err: str, command: str) -> str:
    assert err.startswith(f"hierax {command}: error: ")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err


def test_missing_data_file(capsys, tmp_path):
    code, _, err = _run(capsys, "fit", str(tmp_path / "nope.csv"))
    assert code == 1 and "nope.csv" in _one_line_error(err, "fit")


def test_unsupported_data_format(capsys, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_text("x")
    code, _, err = _run(capsys, "fit", str(path))
    assert code == 1 and ".csv or .parquet" in _one_line_error(err, "fit")


@pytest.mark.parametrize(
    "extra, culprit",
    [
        (["--param", "v ~ 1 + drift_cond"], "drift_cond"),
        (["--model", "ddx"], "ddx"),
        (["--param", "b ~ 1"], "'b'"),
        (["--prior-settings", "wide"], "wide"),
    ],
)
def test_bad_model_spec_names_the_culprit(capsys, data_file, tmp_path, extra, culprit):
    code, _, err = _run(capsys, "fit", str(data_file), "--out", str(tmp_path / "o"), *extra)
    assert code == 1 and culprit in _one_line_error(err, "fit")
    assert not (tmp_path / "o").exists()


def test_malformed_arguments_exit_2(capsys, data_file):
    code, _, err = _run(capsys, "fit", str(data_file), "--draws", "0")
    assert code == 2 and "--draws" in err and "positive integer" in err
    code, _, err = _run(capsys, "fit", str(data_file), "--param", "v = 1")
    assert code == 2 and "'v = 1'" in err


def test_debug_shows_the_traceback(data_file):
    with pytest.raises(ValueError, match="drift_cond"):
        main(["fit", str(data_file), "--param", "v ~ drift_cond", "--debug"])


def test_summary_of_a_directory_without_results(capsys, tmp_path):
    code, _, err = _run(capsys, "summary", str(tmp_path))
    assert code == 1 and "idata.nc" in _one_line_error(err, "summary")


# -- demo ---------------------------------------------------------------------


def test_demo_fits_and_prints_the_summary(capsys):
    code, out, err = _run(
        capsys, "demo", "--participants", "1", "--draws", "10", "--tune", "10", "--chains", "1"
    )
    assert code == 0
    assert "Formula: v ~ 1 + (1|participant_id)" in out  # print(model) before sampling
    assert "v_Intercept" in out and "r_hat" in out  # the summary


def test_warnings_are_shown_as_one_line(capsys):
    from hierax.cli import _warning_printer

    _warning_printer("fit")(UserWarning("low ESS\n  draw more"), UserWarning, "x.py", 3)
    assert capsys.readouterr().err == "hierax fit: warning: low ESS draw more\n"
