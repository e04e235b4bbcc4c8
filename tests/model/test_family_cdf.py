"""The Family's distribution-function interface (log_cdf, log_sf, no-response)."""

import jax.numpy as jnp
import numpy as np
import pytest

from hierax.families import make_family

# Two exponential accumulators with rates lam0, lam1 racing: closed forms.
# P(RT <= t, R = i) = lam_i / (lam0 + lam1) * (1 - exp(-(lam0 + lam1) t)).


def _logpdf(obs, lam0, lam1):
    lam = jnp.where(obs[:, 1] == 0, lam0, lam1)
    return jnp.log(lam) - (lam0 + lam1) * obs[:, 0]


def _share(obs, lam0, lam1):
    return jnp.where(obs[:, 1] == 0, lam0, lam1) / (lam0 + lam1)


def _log_sf(obs, lam0, lam1):
    return jnp.log(_share(obs, lam0, lam1)) - (lam0 + lam1) * jnp.maximum(obs[:, 0], 0.0)


def _cdf(obs, lam0, lam1):
    return _share(obs, lam0, lam1) * -jnp.expm1(-(lam0 + lam1) * obs[:, 0])


OBS = jnp.array([[0.3, 0.0], [1.2, 1.0], [40.0, 0.0], [jnp.inf, 1.0]])
RATES = (1.5, 0.5)


def _truth():
    t, r = np.asarray(OBS[:, 0]), np.asarray(OBS[:, 1])
    share = np.where(r == 0, 1.5, 0.5) / 2.0
    with np.errstate(over="ignore"):
        return share * -np.expm1(-2.0 * t), share * np.exp(-2.0 * t)


def _family(**kw):
    return make_family(
        "exp_race",
        ["lam0", "lam1"],
        _logpdf,
        choices=(0, 1),
        bounds={"lam0": (0, 10), "lam1": (0, 10)},
        **kw,
    )


@pytest.mark.parametrize("given", ["cdf", "log_sf", "both"])
def test_the_missing_function_is_derived(given):
    kw = {
        "cdf": {"cdf": _cdf},
        "log_sf": {"log_sf": _log_sf},
        "both": {"cdf": _cdf, "log_sf": _log_sf},
    }[given]
    fam = _family(**kw)
    cdf, sf = _truth()
    np.testing.assert_allclose(np.exp(fam.log_cdf(OBS, *RATES)), cdf, rtol=1e-12)
    # The far tail (rt = 40, sf ~ 1e-35) is exact only when log_sf is given directly.
    rows = slice(None) if given != "cdf" else slice(0, 2)
    np.testing.assert_allclose(np.exp(fam.log_sf(OBS, *RATES))[rows], sf[rows], rtol=1e-10)


def test_no_response_sums_the_choices():
    fam = _family(log_sf=_log_sf)
    rt = jnp.array([0.0, 0.7, 3.0])
    np.testing.assert_allclose(fam.log_no_response(rt, *RATES), -2.0 * np.asarray(rt), atol=1e-12)


def test_distribution_exposes_the_cdf():
    d = _family(log_sf=_log_sf).distribution(lam0=1.5, lam1=0.5)
    np.testing.assert_allclose(d.cdf(OBS[:2]), _truth()[0][:2], rtol=1e-12)


def test_cdf_needs_rt():
    with pytest.raises(ValueError, match="rt-and-choice"):
        make_family(
            "c",
            ["p"],
            lambda y, p: y * 0.0,
            choices=(0, 1),
            kind="choice",
            bounds={"p": (0, 1)},
            cdf=lambda y, p: y,
        )
