"""The three pooling choices as one-line models (the NumPyro pooling tutorial's data)."""

import numpy as np
import pandas as pd
import pytest

import hierax as hx

DATA = pd.DataFrame({"y": [10.0, 12.0, 9.0, 11.0, 8.0], "group": [0, 0, 1, 1, 2]})


def fit(**kwargs):
    model = hx.Model(DATA, model="normal", response="y", **kwargs)
    return model, model.sample(
        draws=1000, tune=500, chains=2, seed=1, progress=False, diagnose=False
    )


def group_means(idata, pooling):
    post = idata.posterior
    if pooling == "none":
        return post["mu_C(group)"].mean(("chain", "draw")).values
    if pooling == "complete":
        return np.repeat(post["mu_Intercept"].mean().item(), 3)
    return (post["mu_Intercept"] + post["mu_1|group"]).mean(("chain", "draw")).values


@pytest.fixture(scope="module")
def fits():
    return {p: fit(group="group", pooling=p) for p in ("none", "complete", "partial")}


def test_pooling_shortcuts_write_the_formulas(fits):
    formulas = {p: m.resolved.params["mu"].formula for p, (m, _) in fits.items()}
    assert formulas == {
        "none": "mu ~ 0 + C(group)",
        "complete": "mu ~ 1",
        "partial": "mu ~ 1 + (1|group)",
    }
    _, idata = fits["partial"]
    assert list(idata.posterior["mu_1|group"].coords["group"].values) == [0, 1, 2]
    assert list(fits["none"][1].posterior["mu_C(group)"].coords["mu_C(group)_dim"].values) == [
        "0",
        "1",
        "2",
    ]


def test_partial_pooling_lies_between_no_and_complete_pooling(fits):
    none = group_means(fits["none"][1], "none")
    complete = group_means(fits["complete"][1], "complete")
    partial = group_means(fits["partial"][1], "partial")
    # The sample means are 11, 10 and 8; no pooling stays near them (group 2 has one
    # observation, so its prior pulls it a little towards 10), complete pooling puts every
    # group at ~10, partial pooling shrinks each group towards the grand mean.
    np.testing.assert_allclose(none, [11.0, 10.0, 8.0], atol=1.0)
    lower, upper = np.minimum(none, complete), np.maximum(none, complete)
    tolerance = 0.1  # Monte Carlo error of a posterior mean with ~1000 effective draws
    assert np.all(partial >= lower - tolerance) and np.all(partial <= upper + tolerance)
    # strictly shrunk for the groups whose mean differs from the grand mean
    assert partial[0] < none[0] - 0.1 and partial[2] > none[2] + 0.1


def test_explicit_formula_equals_shortcut():
    a = hx.Model(DATA, model="normal", response="y", group="group", pooling="partial")
    b = hx.Model(
        DATA,
        model="normal",
        response="y",
        include=[{"name": "mu", "formula": "mu ~ 1 + (1|group)"}],
    )
    assert a.resolved.plans == b.resolved.plans


def test_pooling_needs_a_group():
    with pytest.raises(ValueError, match="needs group="):
        hx.Model(DATA, model="normal", response="y", pooling="partial")
    with pytest.raises(ValueError, match="pooling must be one of"):
        hx.Model(DATA, model="normal", response="y", group="group", pooling="some")
