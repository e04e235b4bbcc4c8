"""The family interface: hx.logp, user families (make/register, HSSM's loglik=), errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest
from jax.scipy.stats import norm

import hierax as hx
from hierax.families.custom import blackbox_logpdf
from hierax.likelihoods import ddm_logpdf


def _lognormal_rt(data, mu, sigma):
    rt = data[:, 0]
    return norm.logpdf(jnp.log(rt), mu, sigma) - jnp.log(rt) - jnp.log(2.0)


_DATA = pd.DataFrame({"rt": [0.5, 0.8, 1.1, 0.7], "response": [1, -1, 1, 1]})


def test_logp_equals_the_likelihood_function():
    got = hx.logp("ddm", _DATA, v=0.7, a=1.2, z=0.4, t=0.2)
    rt, response = _DATA["rt"].to_numpy(), _DATA["response"].to_numpy(float)
    expected = np.asarray(ddm_logpdf(jnp.asarray(rt), jnp.asarray(response), 0.7, 1.2, 0.4, 0.2))
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_logp_takes_per_trial_parameters_arrays_and_gives_minus_inf_outside_bounds():
    v = np.array([0.1, 0.5, 1.0, -1.0])
    got = hx.logp("ddm", _DATA.to_numpy(), v=v, a=1.0, z=0.5, t=0.2)
    each = [hx.logp("ddm", _DATA.iloc[[i]], v=v[i], a=1.0, z=0.5, t=0.2)[0] for i in range(4)]
    np.testing.assert_allclose(got, each, rtol=1e-12)
    assert np.all(hx.logp("ddm", _DATA, v=0.5, a=-1.0, z=0.5, t=0.2) == -np.inf)


def test_logp_lapse_is_a_proper_mixture():
    plain = hx.logp("ddm", _DATA, v=0.5, a=1.0, z=0.5, t=0.2)
    mixed = hx.logp("ddm", _DATA, v=0.5, a=1.0, z=0.5, t=0.2, p_outlier=0.1)
    expected = np.log(0.9 * np.exp(plain) + 0.1 / 20.0 / 2.0)
    np.testing.assert_allclose(mixed, expected, rtol=1e-12)


def test_logp_names_missing_and_unknown_parameters():
    with pytest.raises(ValueError, match=r"missing \['t'\], unknown \['w'\]"):
        hx.logp("ddm", _DATA, v=0.5, a=1.0, z=0.5, w=1.0)


def test_user_family_builds_simulates_and_is_evaluated():
    def simulator(key, shape, mu, sigma):
        k1, k2 = jax.random.split(key)
        rt = jnp.exp(mu + sigma * jax.random.normal(k1, shape))
        response = jnp.where(jax.random.uniform(k2, shape) < 0.5, -1.0, 1.0)
        return jnp.stack([rt, response], axis=-1)

    fam = hx.make_family(
        "lognormal_race_test",
        {"mu": (-3.0, 3.0), "sigma": {"bounds": (0.0, 3.0), "init": 0.5}},
        _lognormal_rt,
        simulator=simulator,
    )
    data = hx.simulate_data(fam, {"mu": -0.5, "sigma": 0.3}, size=300, seed=1)
    np.testing.assert_allclose(np.log(data["rt"]).mean(), -0.5, atol=0.1)
    got = hx.logp(fam, data.iloc[:3], mu=-0.5, sigma=0.3)
    rt = data["rt"].to_numpy()[:3]
    expected = -0.5 * ((np.log(rt) + 0.5) / 0.3) ** 2 - np.log(0.3 * np.sqrt(2 * np.pi) * rt * 2)
    np.testing.assert_allclose(got, expected, rtol=1e-10)
    model = hx.Model(data, model=fam, p_outlier=None)
    assert "Likelihood: analytical" in str(model)


def test_hssm_loglik_and_model_config_form():
    config = {"list_params": ["mu", "sigma"], "bounds": {"mu": (-3, 3), "sigma": (0, 3)}}
    model = hx.Model(_DATA, model="my_lognormal", loglik=_lognormal_rt, model_config=config)
    assert model.family.param_names == ("mu", "sigma")
    assert str(model.family["sigma"].prior) == "Uniform(lower: 0.0, upper: 3.0)"


def test_user_family_with_wrong_shape_or_nan_is_refused():
    def scalar(data, mu, sigma):
        return jnp.sum(_lognormal_rt(data, mu, sigma))

    def nan(data, mu, sigma):
        return _lognormal_rt(data, mu, sigma) * jnp.nan

    bounds = {"mu": (-3, 3), "sigma": (0, 3)}
    with pytest.raises(ValueError, match=r"returned shape \(\) for 4 observations"):
        hx.Model(_DATA, model=hx.make_family("bad_shape", ["mu", "sigma"], scalar, bounds=bounds))
    with pytest.raises(ValueError, match=r"not finite for 4 of 4 observations"):
        hx.Model(_DATA, model=hx.make_family("bad_nan", ["mu", "sigma"], nan, bounds=bounds))


def test_register_family_refuses_builtin_names_and_silent_replacement():
    with pytest.raises(ValueError, match="'ddm' is a built-in model"):
        hx.register_family("ddm", ["mu"], _lognormal_rt)
    hx.register_family("twice_test", ["mu", "sigma"], _lognormal_rt)
    with pytest.raises(ValueError, match="already registered"):
        hx.register_family("twice_test", ["mu", "sigma"], lambda d, m, s: _lognormal_rt(d, m, s))
    assert "twice_test" in hx.list_families()


def test_response_codes_outside_the_choices_name_the_column():
    bad = _DATA.assign(response=[1, 2, 1, -1])
    with pytest.raises(ValueError, match=r"'response' holds response code 2 outside"):
        hx.logp("ddm", bad, v=0.5, a=1.0, z=0.5, t=0.2)


def test_blackbox_gradient_matches_the_analytic_one():
    def numpy_density(data, mu, sigma):  # plain NumPy: no JAX tracing possible
        rt = np.asarray(data)[:, 0]
        return -0.5 * ((np.log(rt) - mu) / sigma) ** 2 - np.log(sigma * np.sqrt(2 * np.pi) * rt)

    wrapped = blackbox_logpdf(numpy_density)
    obs = jnp.asarray(_DATA.to_numpy(float))

    def exact(mu, sigma):
        return jnp.sum(norm.logpdf(jnp.log(obs[:, 0]), mu, sigma) - jnp.log(obs[:, 0]))

    def total(mu, sigma):
        return jnp.sum(wrapped(obs, mu, sigma))

    np.testing.assert_allclose(total(0.1, 0.4), exact(0.1, 0.4), rtol=1e-12)
    # Central differences with a relative step of 1e-6: error ~ step^2 * f''' ~ 1e-9.
    np.testing.assert_allclose(
        jax.grad(total, argnums=(0, 1))(0.1, 0.4),
        jax.grad(exact, argnums=(0, 1))(0.1, 0.4),
        rtol=1e-6,
    )
