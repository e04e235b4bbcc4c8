import math

import numpy as np
import pytest

from hierax.spec import Link, Param, Prior, as_param, as_prior


def test_misspelled_name_lists_close_matches():
    with pytest.raises(ValueError, match="Did you mean: Normal"):
        Prior("Nromal", mu=0.0, sigma=1.0)


def test_unknown_parameter_lists_valid_ones():
    with pytest.raises(ValueError, match="no parameter 'mean'.*loc"):
        Prior("Normal", mean=0.0, sigma=1.0)


def test_missing_required_parameter():
    with pytest.raises(ValueError, match="needs parameter 'concentration'"):
        Prior("Gamma")


def test_invalid_value_is_reported_at_construction():
    with pytest.raises(ValueError, match="Invalid parameter values"):
        Prior("HalfNormal", sigma=-1.0)


def test_pymc_names_map_to_numpyro():
    d = Prior("Normal", mu=1.0, sigma=2.0).distribution()
    assert float(d.loc) == 1.0 and float(d.scale) == 2.0
    d = Prior("Uniform", lower=0.0, upper=20.0).distribution()
    assert float(d.low) == 0.0 and float(d.high) == 20.0


@pytest.mark.parametrize(
    ("name", "mu", "sigma"), [("Gamma", 1.5, 0.5), ("InverseGamma", 2.0, 0.7), ("Beta", 0.3, 0.1)]
)
def test_mean_sd_forms_have_that_mean_and_sd(name, mu, sigma):
    d = Prior(name, mu=mu, sigma=sigma).distribution()
    assert float(d.mean) == pytest.approx(mu, rel=1e-10)
    assert math.sqrt(float(d.variance)) == pytest.approx(sigma, rel=1e-10)


def test_hyperprior_needs_values_and_reports_support():
    p = Prior("Normal", mu=0.0, sigma=Prior("HalfNormal", sigma=0.5))
    assert p.is_hierarchical and list(p.hyperpriors) == ["sigma"]
    assert float(p.distribution({"sigma": 3.0}).scale) == 3.0
    with pytest.raises(ValueError, match="hyperprior 'sigma'"):
        p.distribution()
    assert Prior("Beta", alpha=2.0, beta=2.0).support_bounds() == (0.0, 1.0)
    assert Prior("Normal", mu=0.0, sigma=1.0).support_bounds() == (-math.inf, math.inf)


def test_dict_round_trip():
    p = Prior("Normal", mu=0.0, sigma=Prior("HalfNormal", sigma=0.5))
    assert as_prior(p.to_dict()) == p
    assert as_prior(0.5) == 0.5
    with pytest.raises(TypeError):
        as_prior("Normal")


def test_link_inverse_and_forward_are_inverse():
    x = np.linspace(-3, 3, 7)
    for link in (
        Link("identity"),
        Link("log", bounds=(0.1, math.inf)),
        Link("logit", bounds=(0.2, 3.0)),
    ):
        np.testing.assert_allclose(link.forward(link.inverse(x)), x, atol=1e-10)
    assert float(Link("logit", bounds=(0.0, 2.0)).inverse(0.0)) == 1.0
    with pytest.raises(ValueError, match="Unknown link"):
        Link("probit")


def test_param_dict_form_equals_param():
    d = {
        "name": "v",
        "formula": "v ~ 1 + x",
        "prior": {"Intercept": {"name": "Normal", "mu": 0, "sigma": 1}},
    }
    assert as_param(d) == Param(
        "v", formula="v ~ 1 + x", prior={"Intercept": Prior("Normal", mu=0, sigma=1)}
    )
    with pytest.raises(ValueError, match="Unknown key 'formla'"):
        as_param({"name": "v", "formla": "v ~ 1"})
    with pytest.raises(ValueError, match="left-hand side is 'a'"):
        Param("v", formula="a ~ 1")
    with pytest.raises(ValueError, match="no formula, so it takes one prior"):
        Param("v", prior={"Intercept": 0.0})


def test_hyperprior_support_must_fit_its_argument():
    # REVIEW.md B3: this used to build and fail 27 frames deep inside NumPyro at sample time.
    with pytest.raises(ValueError, match="hyperprior .* of 'sigma' has support"):
        Prior("Normal", mu=0.0, sigma=Prior("Normal", mu=0.0, sigma=1.0))
    with pytest.raises(ValueError, match="hyperprior .* of 'sigma'"):
        Prior("Gamma", mu=1.0, sigma=Prior("Normal", mu=0.0, sigma=1.0))
    Prior("Normal", mu=Prior("Normal", mu=0.0, sigma=1.0), sigma=Prior("HalfNormal", sigma=1.0))


def test_numeric_values_beside_a_hyperprior_are_checked():
    with pytest.raises(ValueError, match="scale = -1 must lie"):
        Prior("Normal", mu=Prior("Normal", mu=0.0, sigma=1.0), sigma=-1.0)
