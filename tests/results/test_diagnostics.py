"""One warning naming what is wrong and what to try."""

import warnings

import arviz as az
import numpy as np
import pytest

from hierax.results.diagnostics import diagnose, warn_diagnostics


def idata(diverging=0, shift=0.0, draws=1000, saturated=0):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, draws))
    x[0] += shift
    div = np.zeros((4, draws), bool)
    div.flat[:diverging] = True
    steps = np.full((4, draws), 7)
    steps.flat[:saturated] = 1023
    return az.from_dict(posterior={"x": x}, sample_stats={"diverging": div, "n_steps": steps})


def test_healthy_run_is_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_diagnostics(idata())


def test_each_problem_is_named_with_a_remedy():
    problems = diagnose(idata(diverging=3, shift=1.0, draws=100, saturated=2))
    text = " ".join(problems)
    assert len(problems) == 4
    assert "3 of 400 draws diverged" in text and "target_accept_prob" in text
    assert "r_hat" in text and "'x'" in text
    assert "bulk ESS" in text and "maximum tree depth" in text


def test_one_warning():
    with pytest.warns(UserWarning, match="Sampling problems") as record:
        warn_diagnostics(idata(diverging=1, shift=1.0))
    assert len(record) == 1
