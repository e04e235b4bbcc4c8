"""Tests of the NumPyro-style summary table."""

import re

import arviz as az
import jax
import numpy as np
import numpyro
import numpyro.distributions as dist
import pytest
from numpyro.infer import MCMC, NUTS

from hierax.numpyro import print_summary, summary_table

N_CHAINS, N_DRAWS = 2, 400


@pytest.fixture
def draws():
    rng = np.random.default_rng(7)
    return {
        "mu": 0.5 + rng.normal(size=(N_CHAINS, N_DRAWS)),
        "v": rng.normal(loc=[-1.0, 2.0], size=(N_CHAINS, N_DRAWS, 2)),
    }


@pytest.fixture
def idata(draws):
    """InferenceData with a named coordinate and a diverging sample statistic."""
    diverging = np.zeros((N_CHAINS, N_DRAWS), dtype=bool)
    diverging[0, :3] = True
    diverging[1, 10] = True
    return az.from_dict(
        posterior={"v_1|participant_id": draws["v"], "mu": draws["mu"]},
        sample_stats={"diverging": diverging},
        coords={"participant_id": [3, 5]},
        dims={"v_1|participant_id": ["participant_id"]},
    )


def test_table_numbers_match_numpy_and_arviz(draws):
    table = summary_table(draws, prob=0.8)
    assert table.index.tolist() == ["mu", "v[0]", "v[1]"]
    assert table.columns.tolist() == ["mean", "std", "median", "10.0%", "90.0%", "n_eff", "r_hat"]
    flat = draws["v"].reshape(-1, 2)
    np.testing.assert_allclose(table.loc[["v[0]", "v[1]"], "mean"], flat.mean(axis=0))
    np.testing.assert_allclose(table.loc[["v[0]", "v[1]"], "std"], flat.std(axis=0, ddof=1))
    np.testing.assert_allclose(table.loc[["v[0]", "v[1]"], "median"], np.median(flat, axis=0))
    np.testing.assert_allclose(table.loc[["v[0]", "v[1]"], "10.0%"], np.quantile(flat, 0.1, 0))
    np.testing.assert_allclose(table.loc[["v[0]", "v[1]"], "90.0%"], np.quantile(flat, 0.9, 0))
    np.testing.assert_allclose(table.loc["mu", "mean"], draws["mu"].mean())
    np.testing.assert_allclose(table.loc["mu", "n_eff"], az.ess(draws["mu"], method="bulk"))
    np.testing.assert_allclose(table.loc["mu", "r_hat"], az.rhat(draws["mu"]))
    assert table.attrs["divergences"] is None


def test_coordinate_labels_and_divergences(idata):
    table = summary_table(idata)
    assert table.index.tolist() == ["v_1|participant_id[3]", "v_1|participant_id[5]", "mu"]
    assert table.attrs["divergences"] == 4


def test_multidimensional_labels():
    rng = np.random.default_rng(0)
    data = az.from_dict(
        posterior={"w": rng.normal(size=(1, 50, 2, 2))},
        coords={"cond": ["lo", "hi"], "subj": ["s1", "s2"]},
        dims={"w": ["cond", "subj"]},
    )
    assert summary_table(data).index.tolist() == [
        "w[lo, s1]",
        "w[lo, s2]",
        "w[hi, s1]",
        "w[hi, s2]",
    ]


def test_print_summary_prints_rows_numbers_and_divergences(idata, draws, capsys):
    assert print_summary(idata) is None
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.strip())
    assert header.split() == ["mean", "std", "median", "5.0%", "95.0%", "n_eff", "r_hat"]
    row = next(
        line for line in out.splitlines() if line.strip().startswith("v_1|participant_id[5]")
    )
    printed_mean = float(row.split()[1])
    assert printed_mean == pytest.approx(draws["v"][..., 1].mean(), abs=0.005)
    assert re.search(r"Number of divergences: 4\b", out)


def test_print_summary_without_diverging_says_nothing_about_it(draws, capsys):
    print_summary(draws, var_names=["mu"])
    out = capsys.readouterr().out
    assert "divergences" not in out
    assert "v[0]" not in out and "mu" in out


def test_accepts_numpyro_mcmc():
    def model():
        numpyro.sample("x", dist.Normal(1.0, 0.1))

    mcmc = MCMC(NUTS(model), num_warmup=20, num_samples=50, progress_bar=False)
    mcmc.run(jax.random.key(0))
    table = summary_table(mcmc)
    assert table.index.tolist() == ["x"]
    assert table.attrs["divergences"] is not None
    np.testing.assert_allclose(table.loc["x", "mean"], mcmc.get_samples()["x"].mean())


@pytest.mark.parametrize(
    ("data", "kwargs", "error", "message"),
    [
        ({"mu": np.zeros(10)}, {}, ValueError, "group_by_chain=True"),
        ({"mu": np.zeros((1, 10))}, {"prob": 1.5}, ValueError, "prob must lie in"),
        ({"mu": np.zeros((1, 10))}, {"var_names": ["nu"]}, ValueError, "not in the posterior"),
        ([1, 2, 3], {}, TypeError, "Expected arviz.InferenceData"),
    ],
)
def test_clear_errors(data, kwargs, error, message):
    with pytest.raises(error, match=message):
        summary_table(data, **kwargs)
