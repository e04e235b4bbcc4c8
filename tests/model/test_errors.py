"""Every user mistake is caught when the Model is built, naming the culprit."""

import numpy as np
import pandas as pd
import pytest

import hierax as hx


@pytest.fixture(scope="module")
def data():
    return hx.load_data("cavanagh_theta").query("participant_id < 3").reset_index(drop=True)


def test_missing_rt_column(data):
    with pytest.raises(ValueError, match="needs the column 'rt'"):
        hx.Model(data.drop(columns="rt"))


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (np.nan, "missing or infinite"),
        (np.inf, "missing or infinite"),
        (-0.3, "positive response times"),
    ],
)
def test_bad_rt_values(data, value, match):
    bad = data.copy()
    bad.loc[5, "rt"] = value
    with pytest.raises(ValueError, match=f"'rt'.*{match}.*|{match}"):
        hx.Model(bad)


def test_response_outside_choices(data):
    bad = data.copy()
    bad.loc[2, "response"] = 2.0
    with pytest.raises(ValueError, match="'response' holds response code 2 outside"):
        hx.Model(bad)
    with pytest.raises(ValueError, match="outside the declared choices"):
        hx.Model(data, choices=[0, 1])


def test_zero_codes_the_lower_boundary(data):
    recoded = data.assign(response=data["response"].replace(-1.0, 0.0))
    a = hx.Model(recoded).resolved.arrays["obs"]
    b = hx.Model(data).resolved.arrays["obs"]
    np.testing.assert_array_equal(a, b)


def test_formula_names_missing_column(data):
    with pytest.raises(ValueError, match="'v ~ 1 \\+ thetta'.*column 'thetta'"):
        hx.Model(data, include=[{"name": "v", "formula": "v ~ 1 + thetta"}])


def test_prior_key_matching_no_term_warns_with_terms(data):
    with pytest.warns(UserWarning, match="'thetaa'.*terms are: Intercept, theta"):
        hx.Model(
            data,
            include=[
                hx.Param(
                    "v",
                    formula="v ~ 1 + theta",
                    prior={"thetaa": hx.Prior("Normal", mu=0, sigma=1)},
                )
            ],
        )


def test_column_without_a_reading_in_a_formula(data):
    dated = data.assign(when=pd.Timestamp("2026-01-01"))
    with pytest.raises(ValueError, match="'when'.*neither as numbers nor as categories"):
        hx.Model(dated, include=[{"name": "v", "formula": "v ~ 1 + when"}])


def test_single_level_group_warns(data):
    one = data.query("participant_id == 0")
    with pytest.warns(UserWarning, match="'participant_id'.*single level"):
        hx.Model(one, global_formula="y ~ 1 + (1|participant_id)")


def test_unknown_parameter_name(data):
    with pytest.raises(ValueError, match="no parameter 'drift'; its parameters are v, a, z, t"):
        hx.Model(data, include=[{"name": "drift", "formula": "drift ~ 1"}])


def test_bounds_excluding_prior_support(data):
    with pytest.raises(ValueError, match="prior .* of 'a' has support.*outside.*bounds"):
        hx.Model(data, include=[hx.Param("a", prior=hx.Prior("Uniform", lower=-2.0, upper=-1.0))])


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5])
def test_p_outlier_outside_unit_interval(data, p):
    with pytest.raises(ValueError, match="p_outlier must lie in \\[0, 1\\)"):
        hx.Model(data, p_outlier=p)


def test_unknown_model_and_settings(data):
    with pytest.raises(ValueError, match="Unknown model 'dddm'. Available models: .*ddm"):
        hx.Model(data, model="dddm")
    with pytest.raises(ValueError, match="prior_settings must be one of"):
        hx.Model(data, prior_settings="sfe")
    with pytest.raises(ValueError, match="link_settings must be one of"):
        hx.Model(data, link_settings="log")
    with pytest.raises(ValueError, match="loglik_kind must be one of"):
        hx.Model(data, loglik_kind="approx_differentiable")


def test_generic_family_checks_its_column():
    df = pd.DataFrame({"y": [0, 1, 2], "g": [0, 1, 1]})
    with pytest.raises(ValueError, match="'bernoulli' needs column 'y' to hold 0 or 1"):
        hx.Model(df, model="bernoulli", response="y")
    with pytest.raises(ValueError, match="needs the column 'score'"):
        hx.Model(df, model="normal", response="score")
    with pytest.raises(ValueError, match="applies to models of choices"):
        hx.Model(df, model="normal", response="y", p_outlier=0.1)


def test_lapse_with_negative_support(data):
    # REVIEW.md B4: a Normal lapse used to build, and predictive rts could be negative.
    with pytest.raises(ValueError, match="lapse=.*negative response times"):
        hx.Model(data, lapse=hx.Prior("Normal", mu=0.0, sigma=1.0))
    hx.Model(data, lapse=hx.Prior("Uniform", lower=0.0, upper=10.0))
