"""Generic families for hierarchical regressions that are not SSMs.

Each family puts its formula on one mean parameter (``main``), with the
canonical link by default:

=========== ============================== ========== ==================
family      parameters                     main       default link
=========== ============================== ========== ==================
normal      mu, sigma                      mu         identity
student_t   mu, sigma, nu                  mu         identity
bernoulli   p                              p          logit
binomial    p (response columns y, n)      p          logit
poisson     mu                             mu         log
gamma       mu (mean), alpha (shape)       mu         log
lognormal   mu, sigma (of log y)           mu         identity
=========== ============================== ========== ==================

Default priors are scaled to the data (as bambi does): for a normal model
the mean gets ``Normal(mean(y), 2.5 sd(y))`` and the scale
``HalfNormal(2.5 sd(y))``, so that the defaults do not depend on the units.

Examples
--------
>>> import numpy as np
>>> fam = GLM_FAMILIES["normal"].for_data(np.array([10.0, 12.0, 9.0, 11.0, 8.0]))
>>> fam["mu"].prior
Prior('Normal', mu=10.0, sigma=3.53...)
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist

from hierax.families.base import Family, ParamInfo
from hierax.spec.prior import Prior

__all__ = ["GLM_FAMILIES"]

INF = math.inf
# Width of data-scaled default priors in units of the data's sd (bambi's choice).
PRIOR_WIDTH = 2.5


def _spread(y: np.ndarray) -> float:
    sd = float(np.std(y))
    return sd if sd > 0 else 1.0


def _normal_params(y: np.ndarray) -> tuple[ParamInfo, ...]:
    mean, sd = float(np.mean(y)), _spread(y)
    return (
        ParamInfo(
            "mu", (-INF, INF), Prior("Normal", mu=mean, sigma=PRIOR_WIDTH * sd), sd, mean, "mean"
        ),
        ParamInfo(
            "sigma",
            (0.0, INF),
            Prior("HalfNormal", sigma=PRIOR_WIDTH * sd),
            sd / 2,
            sd,
            "standard deviation",
        ),
    )


def _student_t_params(y: np.ndarray) -> tuple[ParamInfo, ...]:
    return _normal_params(y) + (
        ParamInfo(
            "nu", (0.0, INF), Prior("Gamma", alpha=2.0, beta=0.1), 5.0, 10.0, "degrees of freedom"
        ),
    )


def _log_mean(y: np.ndarray) -> float:
    return math.log(max(float(np.mean(y)), 1e-3))


def _bernoulli_params(y: np.ndarray) -> tuple[ParamInfo, ...]:
    return (
        ParamInfo(
            "p", (0.0, 1.0), Prior("Beta", alpha=1.0, beta=1.0), 0.1, 0.5, "probability of a 1"
        ),
    )


def _binomial_params(y: np.ndarray) -> tuple[ParamInfo, ...]:
    return (
        ParamInfo(
            "p",
            (0.0, 1.0),
            Prior("Beta", alpha=1.0, beta=1.0),
            0.1,
            0.5,
            "probability of success per trial",
        ),
    )


def _poisson_params(y: np.ndarray) -> tuple[ParamInfo, ...]:
    mean = max(float(np.mean(y)), 1e-3)
    return (
        ParamInfo(
            "mu",
            (0.0, INF),
            Prior("Gamma", mu=mean, sigma=PRIOR_WIDTH * math.sqrt(mean)),
            math.sqrt(mean),
            mean,
            "mean count",
        ),
    )


def _gamma_params(y: np.ndarray) -> tuple[ParamInfo, ...]:
    mean, sd = max(float(np.mean(y)), 1e-3), _spread(y)
    return (
        ParamInfo(
            "mu", (0.0, INF), Prior("Gamma", mu=mean, sigma=PRIOR_WIDTH * sd), sd, mean, "mean"
        ),
        ParamInfo("alpha", (0.0, INF), Prior("Gamma", alpha=2.0, beta=0.5), 1.0, 2.0, "shape"),
    )


def _lognormal_params(y: np.ndarray) -> tuple[ParamInfo, ...]:
    logs = np.log(np.clip(y, 1e-300, None))
    return _normal_params(logs)


def _normal_logpdf(obs, mu, sigma):
    return dist.Normal(mu, sigma).log_prob(obs)


def _student_t_logpdf(obs, mu, sigma, nu):
    return dist.StudentT(nu, mu, sigma).log_prob(obs)


def _bernoulli_logpdf(obs, p):
    return dist.BernoulliProbs(p).log_prob(obs)


def _binomial_logpdf(obs, p):
    return dist.BinomialProbs(p, total_count=obs[..., 1]).log_prob(obs[..., 0])


def _poisson_logpdf(obs, mu):
    return dist.Poisson(mu).log_prob(obs)


def _gamma_logpdf(obs, mu, alpha):
    return dist.Gamma(alpha, alpha / mu).log_prob(obs)


def _lognormal_logpdf(obs, mu, sigma):
    return dist.LogNormal(mu, sigma).log_prob(obs)


def _from(make):
    """A sampler from a function building the NumPyro distribution."""

    def sample(key: jax.Array, shape, obs, *params) -> jax.Array:
        d = make(obs, *params)
        return (
            jnp.broadcast_to(d.sample(key, ()), shape) if d.batch_shape != shape else d.sample(key)
        )

    return sample


def _binomial_sample(key, shape, obs, p):
    trials = obs[..., 1]
    successes = dist.BinomialProbs(p, total_count=trials).sample(key)
    return jnp.stack([successes, jnp.broadcast_to(trials, successes.shape)], axis=-1)


def _glm(name, logpdf, make, data_params, main, links, response=("y",), **kw) -> Family:
    sample = kw.pop("sample", None) or _from(make)
    return Family(
        name=name,
        params=data_params(np.zeros(2)),
        logpdf=logpdf,
        sample=sample,
        response=response,
        default_links=tuple(links.items()),
        main=main,
        data_params=data_params,
        **kw,
    )


GLM_FAMILIES = {
    "normal": _glm(
        "normal",
        _normal_logpdf,
        lambda o, mu, sigma: dist.Normal(mu, sigma),
        _normal_params,
        "mu",
        {"sigma": "log"},
    ),
    "student_t": _glm(
        "student_t",
        _student_t_logpdf,
        lambda o, mu, sigma, nu: dist.StudentT(nu, mu, sigma),
        _student_t_params,
        "mu",
        {"sigma": "log", "nu": "log"},
    ),
    "bernoulli": _glm(
        "bernoulli",
        _bernoulli_logpdf,
        lambda o, p: dist.BernoulliProbs(p),
        _bernoulli_params,
        "p",
        {"p": "logit"},
        choices=(0.0, 1.0),
    ),
    "binomial": _glm(
        "binomial",
        _binomial_logpdf,
        None,
        _binomial_params,
        "p",
        {"p": "logit"},
        response=("y", "n"),
        sample=_binomial_sample,
    ),
    "poisson": _glm(
        "poisson",
        _poisson_logpdf,
        lambda o, mu: dist.Poisson(mu),
        _poisson_params,
        "mu",
        {"mu": "log"},
    ),
    "gamma": _glm(
        "gamma",
        _gamma_logpdf,
        lambda o, mu, alpha: dist.Gamma(alpha, alpha / mu),
        _gamma_params,
        "mu",
        {"mu": "log", "alpha": "log"},
    ),
    "lognormal": _glm(
        "lognormal",
        _lognormal_logpdf,
        lambda o, mu, sigma: dist.LogNormal(mu, sigma),
        _lognormal_params,
        "mu",
        {"sigma": "log"},
    ),
}
