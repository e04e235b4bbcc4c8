"""HSSM's closed-form models through the family interface: names, codes, wiring, errors.

The likelihoods themselves are checked against mpmath in tests/likelihoods; here each
family's Model path must evaluate exactly the module function on the family's codes.
"""

import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest

import hierax as hx
from hierax.likelihoods import (
    lba_logpdf,
    poisson_race_logpdf,
    racing_diffusion_logpdf,
    softmax_logpmf,
)

LBA3 = {"A": 0.3, "b": 0.8, "v0": 1.0, "v1": 0.6, "v2": 0.7}
RDM3 = {"A": 0.3, "b": 1.0, "v0": 2.0, "v1": 1.0, "v2": 1.2, "t": 0.2}
POISSON = {"r1": 10.0, "r2": 8.0, "k1": 5.0, "k2": 4.0, "t": 0.1}
SOFTMAX3 = {"beta": 1.5, "logit1": 0.5, "logit2": -0.5}


def _columns(data):
    return jnp.asarray(data["rt"].to_numpy()), jnp.asarray(data["response"].to_numpy())


def test_hssm_names_bounds_and_choices():
    assert hx.get_family("lba2").param_names == ("A", "b", "v0", "v1", "t", "s")
    assert hx.get_family("lba4").choices == (0.0, 1.0, 2.0, 3.0)
    assert hx.get_family("lba3")["b"].bounds == (0.2, np.inf)
    assert hx.get_family("racing_diffusion_3")["v0"].bounds == (0.001, np.inf)
    assert hx.get_family("poisson_race").param_names == ("r1", "r2", "k1", "k2", "t")
    assert hx.get_family("softmax_inv_temperature_2").choices == (-1.0, 1.0)
    assert hx.get_family("softmax_inv_temperature_3").choices == (0.0, 1.0, 2.0)
    assert str(hx.get_family("racing_diffusion_3")["A"].prior) == "HalfNormal(sigma: 0.5)"


@pytest.mark.parametrize(
    ("name", "theta", "direct"),
    [
        ("lba3", LBA3, lambda rt, r, p: lba_logpdf(rt, r, p["A"], p["b"], (1.0, 0.6, 0.7))),
        (
            "racing_diffusion_3",
            RDM3,
            lambda rt, r, p: racing_diffusion_logpdf(rt, r, 0.3, 1.0, (2.0, 1.0, 1.2), 0.2),
        ),
        (
            "poisson_race",
            POISSON,
            lambda rt, r, p: poisson_race_logpdf(rt, r, 10.0, 8.0, 5.0, 4.0, 0.1),
        ),
    ],
)
def test_simulated_data_and_logp_match_the_likelihood(name, theta, direct):
    data = hx.simulate_data(name, theta, size=400, seed=2)
    family = hx.get_family(name)
    assert set(data["response"]) == set(family.choices)
    rt, response = _columns(data)
    np.testing.assert_allclose(
        hx.logp(name, data, **theta), np.asarray(direct(rt, response, theta)), rtol=1e-12
    )


def test_softmax_logp_and_simulation():
    data = hx.simulate_data("softmax_inv_temperature_3", SOFTMAX3, size=6000, seed=3)
    assert list(data.columns) == ["response"]
    scores = 1.5 * np.array([0.0, 0.5, -0.5])
    probs = np.exp(scores) / np.exp(scores).sum()
    observed = data["response"].value_counts(normalize=True).sort_index().to_numpy()
    # 6000 draws: the sd of each proportion is below 0.0065; 4 sd.
    np.testing.assert_allclose(observed, probs, atol=0.026)
    got = hx.logp("softmax_inv_temperature_3", data.iloc[:5], **SOFTMAX3)
    expected = softmax_logpmf(jnp.asarray(data["response"].to_numpy()[:5]), 1.5, (0.5, -0.5))
    np.testing.assert_allclose(got, np.asarray(expected), rtol=1e-12)
    two = pd.DataFrame({"response": [0, 1, 1]})  # 0 is read as -1
    p1 = 1.0 / (1.0 + np.exp(-2.0 * 0.5))
    np.testing.assert_allclose(
        hx.logp("softmax_inv_temperature_2", two, beta=2.0, logit1=0.5),
        np.log([1 - p1, p1, p1]),
        rtol=1e-12,
    )


def test_lba_t_and_s_are_fixed_unless_included():
    data = hx.simulate_data("lba2", {"A": 0.3, "b": 0.8, "v0": 1.0, "v1": 0.6}, size=50, seed=1)
    model = hx.Model(data, model="lba2", global_formula="y ~ 1")
    text = str(model)
    assert "t:\n    Value: 0" in text and "s:\n    Value: 0.1" in text
    freed = hx.Model(
        data, model="lba2", include=[{"name": "t", "prior": hx.Prior("HalfNormal", sigma=0.1)}]
    )
    assert "t:\n    Prior: HalfNormal(sigma: 0.1)" in str(freed)


def test_lba_with_b_not_above_a_fixed_is_refused():
    data = hx.simulate_data("lba2", {"A": 0.3, "b": 0.8, "v0": 1.0, "v1": 0.6}, size=20, seed=1)
    with pytest.raises(ValueError, match=r"needs b > A, which fails at A=0.5 \(fixed\), b=0.4"):
        hx.Model(
            data, model="lba2", include=[{"name": "A", "prior": 0.5}, {"name": "b", "prior": 0.4}]
        )
    with pytest.raises(ValueError, match="must satisfy b > A"):
        hx.simulate_data("lba2", {"A": 0.9, "b": 0.8, "v0": 1.0, "v1": 0.6}, size=5)


def test_response_codes_outside_an_n_choice_model_are_named():
    data = hx.simulate_data("racing_diffusion_3", RDM3, size=30, seed=1)
    data.loc[3, "response"] = 3.0
    with pytest.raises(
        ValueError, match=r"code 3 outside the choices of model 'racing_diffusion_3' \[0, 1, 2\]"
    ):
        hx.Model(data, model="racing_diffusion_3")
    recoded = data.assign(response=data["response"].replace(3.0, 2.0) + 1)  # codes 1, 2, 3
    model = hx.Model(recoded, model="racing_diffusion_3", choices=[1, 2, 3])
    np.testing.assert_array_equal(np.unique(model.resolved.arrays["obs"][:, 1]), [0.0, 1.0, 2.0])


def test_three_choice_plots_have_a_panel_per_choice():
    data = hx.simulate_data("racing_diffusion_3", RDM3, size=300, seed=4)
    data["stim"] = np.where(np.arange(len(data)) % 2 == 0, "a", "b")
    model = hx.Model(data, model="racing_diffusion_3")
    prior = model.sample_prior_predictive(draws=20, seed=0)
    idata = prior.copy()
    idata.add_groups({"posterior_predictive": prior.prior_predictive})
    fig = hx.plot_posterior_predictive(model, idata, by="stim")
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert titles == [f"stim = {s}: response {c}" for s in "ab" for c in (0, 1, 2)]
    qp = hx.plot_quantile_probability(model, idata, cond="stim")
    labels = {t.get_text() for t in qp.axes[0].texts}
    assert labels == {f"{s} response {c}" for s in "ab" for c in (0, 1, 2)}
