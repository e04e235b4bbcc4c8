"""sample() arguments under HSSM / PyMC names, and errors that name the argument."""

import numpy as np
import pandas as pd
import pytest

import hierax as hx
from hierax.inference.arguments import SampleArguments, translate

DEFAULTS = SampleArguments(seed=None, chain_method=None, progress=None, log_likelihood=True)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"random_seed": 7}, {"seed": 7}),
        ({"progressbar": False}, {"progress": False}),
        ({"target_accept": 0.95}, {"nuts_kwargs": {"target_accept_prob": 0.95}}),
        ({"cores": 1}, {"chain_method": "sequential"}),
        ({"cores": 4}, {}),
        ({"sampler": "nuts_numpyro"}, {}),
        ({"init": "adapt_diag"}, {}),
        ({"init": "adapt_full"}, {"nuts_kwargs": {"dense_mass": True}}),
        ({"idata_kwargs": {"log_likelihood": False}}, {"log_likelihood": False}),
        ({"discard_tuned_samples": True, "return_inferencedata": True}, {}),
        ({"max_tree_depth": 8}, {"nuts_kwargs": {"max_tree_depth": 8}}),
    ],
)
def test_hssm_names_are_translated(extra, expected):
    result = translate(DEFAULTS, extra)
    want = {"seed": None, "chain_method": None, "progress": None, "log_likelihood": True}
    want.update({"nuts_kwargs": {}}, **expected)
    assert {k: getattr(result, k) for k in want} == want


def test_explicit_chain_method_wins_over_cores():
    args = SampleArguments(seed=1, chain_method="parallel", progress=None, log_likelihood=True)
    assert translate(args, {"cores": 1}).chain_method == "parallel"


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        ({"targetaccept": 0.9}, r"unknown argument 'targetaccept'\. Did you mean"),
        ({"sampler": "vi"}, r"model\.vi\(method='advi'\)"),
        ({"sampler": "slice"}, r"sampler='slice' is not available"),
        ({"cores": 0}, "cores must be a positive integer"),
        ({"init": "advi+adapt_diag"}, r"init='advi\+adapt_diag' has no counterpart"),
        ({"return_inferencedata": False}, "return_inferencedata= can only be True"),
        ({"idata_kwargs": {"log_likelihood": True, "dims": {}}}, r"idata_kwargs.*\['dims'\]"),
        ({"init_strategy": None}, "give initvals="),
    ],
)
def test_unusable_arguments_are_named(extra, match):
    with pytest.raises(ValueError, match=match):
        translate(DEFAULTS, extra)


def test_conflicting_seeds():
    args = SampleArguments(seed=1, chain_method=None, progress=None, log_likelihood=True)
    with pytest.raises(ValueError, match="seed=1 and random_seed=2 disagree"):
        translate(args, {"random_seed": 2})
    assert translate(args, {"random_seed": 1}).seed == 1


def test_an_hssm_style_call_samples():
    df = pd.DataFrame({"y": np.random.default_rng(0).normal(2.0, 1.0, 40)})
    model = hx.Model(df, model="normal", response="y")
    common = {"draws": 20, "tune": 20, "chains": 2, "diagnose": False}
    idata = model.sample(
        sampler="nuts_numpyro",
        cores=1,
        random_seed=3,
        target_accept=0.9,
        progressbar=False,
        idata_kwargs={"log_likelihood": False},
        **common,
    )
    assert "log_likelihood" not in idata.groups()
    same = model.sample(
        seed=3,
        chain_method="sequential",
        progress=False,
        target_accept_prob=0.9,
        log_likelihood=False,
        **common,
    )
    np.testing.assert_array_equal(idata.posterior["mu"].values, same.posterior["mu"].values)
