"""What the Model resolves: formulas, priors, links, bounds, names, and its description."""

import jax
import numpy as np
import pytest
from numpyro.infer import Predictive

import hierax as hx
from hierax._config import precision


@pytest.fixture(scope="module")
def data():
    return hx.load_data("cavanagh_theta").query("participant_id < 4").reset_index(drop=True)


def plans(model):
    return {p.name: p for p in model.resolved.plans}


def test_global_formula_applies_to_params_not_included(data):
    m = hx.Model(
        data,
        global_formula="y ~ 1 + (1|participant_id)",
        include=[{"name": "v", "formula": "v ~ 1 + theta"}],
    )
    p = plans(m)
    assert [c.site for c in p["v"].common] == ["v_Intercept", "v_theta"] and not p["v"].group
    for name in "azt":
        assert [g.site for g in p[name].group] == [f"{name}_1|participant_id"]


def test_links_follow_link_settings(data):
    m = hx.Model(data, global_formula="y ~ 1", link_settings="log_logit")
    links = {n: str(p.link) for n, p in plans(m).items() if p.kind == "regression"}
    assert links == {"v": "identity", "a": "log", "z": "logit", "t": "log"}
    m = hx.Model(data, global_formula="y ~ 1")
    assert all(p.link.name == "identity" for p in plans(m).values())
    assert plans(m)["a"].check_bounds and not plans(m)["v"].check_bounds


def test_explicit_link_and_bounds(data):
    m = hx.Model(data, include=[hx.Param("a", formula="a ~ 1", link="logit", bounds=(0.3, 3.0))])
    a = plans(m)["a"]
    assert a.link.bounds == (0.3, 3.0) and a.bounds == (0.3, 3.0) and not a.check_bounds


def test_parameter_without_formula_takes_one_prior_or_value(data):
    m = hx.Model(
        data,
        include=[
            {"name": "z", "prior": 0.5},
            {"name": "a", "prior": {"name": "Gamma", "mu": 1.0, "sigma": 0.2}},
        ],
    )
    p = plans(m)
    assert p["z"].kind == "fixed" and p["z"].value == 0.5
    assert p["a"].kind == "free" and p["a"].prior == hx.Prior("Gamma", mu=1.0, sigma=0.2)


def test_user_term_priors_override_safe_defaults(data):
    prior = hx.Prior("Normal", mu=0.0, sigma=hx.Prior("HalfNormal", sigma=0.3))
    m = hx.Model(
        data,
        include=[
            hx.Param("v", formula="v ~ 1 + (1|participant_id)", prior={"1|participant_id": prior})
        ],
    )
    assert plans(m)["v"].group[0].prior == prior
    assert plans(m)["v"].common[0].prior == hx.Prior("Normal", mu=2.0, sigma=3.0)  # HSSM's safe


def test_print_describes_every_parameter(data):
    m = hx.Model(data, global_formula="y ~ 1 + (1|participant_id)", link_settings="log_logit")
    text = str(m)
    for expected in [
        "Model: ddm",
        "Response variable: rt,response",
        f"Observations: {len(data)}",
        "v ~ 1 + (1|participant_id)",
        "Default priors: prior_settings='safe' (HSSM's safe priors)",
        "v_Intercept ~ Normal(mu: 0.0, sigma: 0.25)",
        "a_1|participant_id ~ Normal(mu: 0.0, sigma: Weibull(alpha: 1.5, beta: 0.3))",
        "Link: Generalized logit link function with bounds (0.0, 1.0)",
        "Explicit bounds: (0.0, 1.0) (ignored due to link function)",
        "Lapse probability: 0.05",
        "Lapse distribution: Uniform(lower: 0.0, upper: 20.0)",
    ]:
        assert expected in text, expected


def test_priors_verified_by_prior_draws(data):
    """Draws from the model's prior have the moments of the priors declared for each term."""
    m = hx.Model(data, global_formula="y ~ 1 + (1|participant_id)", prior_settings="scaled")
    with precision("float64"):
        arrays = {k: np.asarray(v) for k, v in m.resolved.arrays.items()}
        # observed=True: latent sites are drawn from the prior, observations are not simulated
        draws = Predictive(m.model_fn, num_samples=20000)(jax.random.PRNGKey(0), arrays)
    n = 20000
    v = np.asarray(draws["v_Intercept"])  # Normal(0, 2)
    assert abs(v.mean()) < 4 * 2 / np.sqrt(n) and v.std() == pytest.approx(2.0, rel=0.03)
    sigma = np.asarray(draws["v_1|participant_id_sigma"])  # HalfNormal(0.5): mean 0.5*sqrt(2/pi)
    assert sigma.mean() == pytest.approx(0.5 * np.sqrt(2 / np.pi), rel=0.03)
    effects = np.asarray(draws["v_1|participant_id"])  # Normal(0, sigma): sd = E[sigma^2]^0.5 = 0.5
    assert effects.shape == (n, 4) and effects.std() == pytest.approx(0.5, rel=0.03)
    a = np.asarray(draws["a_Intercept"])  # Gamma(mu=1, sigma=0.75)
    assert a.mean() == pytest.approx(1.0, rel=0.03) and a.std() == pytest.approx(0.75, rel=0.05)
