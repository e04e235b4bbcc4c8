"""Sequential sampling model families: ddm, ddm_sdv, full_ddm.

Observations are ``(rt, response)`` rows (shape ``(n, 2)``); response 1 is the
upper boundary and -1 the lower (data coded 0 for the lower boundary are read
as -1). ``a`` is half the boundary separation
(HSSM's convention; HDDM's ``a`` is twice ours). See
:func:`hierax.likelihoods.ddm_logpdf` for the full parameterisation.

Default priors (used for a parameter without a formula, and as the intercept
prior of a parameter with a formula and an identity link):

===== ============ ================================ =========
param bounds       default prior                    scale
===== ============ ================================ =========
v     (-inf, inf)  Normal(mu=0, sigma=2)            0.5
a     (0, inf)     Gamma(mu=1, sigma=0.75)          0.25
z     (0, 1)       Beta(alpha=5, beta=5)            0.05
t     (0, inf)     Gamma(mu=0.3, sigma=0.3)         0.1
sv    (0, inf)     HalfNormal(sigma=1)              0.25
sz    (0, 1)       Beta(alpha=1, beta=4)            0.05
st    (0, inf)     HalfNormal(sigma=0.1)            0.05
===== ============ ================================ =========

``scale`` is the typical between-participant spread; the ``"scaled"`` regression
priors are built from it (see :mod:`hierax.defaults`).

Examples
--------
>>> from hierax.families import get_family
>>> get_family("full_ddm").param_names
('v', 'a', 'z', 't', 'sv', 'sz', 'st')
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from hierax import likelihoods, simulators
from hierax.families.base import Constraint, Family, ParamInfo
from hierax.families.ez import ddm_moment_estimates
from hierax.spec.prior import Prior

__all__ = ["SSM_FAMILIES"]

INF = math.inf
CHOICES = (-1.0, 1.0)

_V = ParamInfo(
    "v",
    (-INF, INF),
    Prior("Normal", mu=0.0, sigma=2.0),
    0.5,
    0.0,
    "drift rate (towards the upper boundary when positive)",
)
_A = ParamInfo(
    "a", (0.0, INF), Prior("Gamma", mu=1.0, sigma=0.75), 0.25, 1.0, "half the boundary separation"
)
_Z = ParamInfo(
    "z", (0.0, 1.0), Prior("Beta", alpha=5.0, beta=5.0), 0.05, 0.5, "relative start point"
)
_T = ParamInfo(
    "t",
    (0.0, INF),
    Prior("Gamma", mu=0.3, sigma=0.3),
    0.1,
    0.2,
    "non-decision time (s)",
    closed_lower=True,
)
_SV = ParamInfo(
    "sv",
    (0.0, INF),
    Prior("HalfNormal", sigma=1.0),
    0.25,
    0.3,
    "across-trial sd of the drift",
    closed_lower=True,
)
_SZ = ParamInfo(
    "sz",
    (0.0, 1.0),
    Prior("Beta", alpha=1.0, beta=4.0),
    0.05,
    0.1,
    "width of the uniform start-point range (relative)",
    closed_lower=True,
)
_ST = ParamInfo(
    "st",
    (0.0, INF),
    Prior("HalfNormal", sigma=0.1),
    0.05,
    0.05,
    "width of the uniform non-decision-time range (s)",
    closed_lower=True,
)


def _split(obs: jax.Array) -> tuple[jax.Array, jax.Array]:
    return obs[..., 0], obs[..., 1]


def _ddm_logpdf(obs, v, a, z, t):
    rt, response = _split(obs)
    return likelihoods.ddm_logpdf(rt, response, v, a, z, t)


def _ddm_sdv_logpdf(obs, v, a, z, t, sv):
    rt, response = _split(obs)
    return likelihoods.ddm_sdv_logpdf(rt, response, v, a, z, t, sv)


def _full_ddm_logpdf(obs, v, a, z, t, sv, sz, st):
    rt, response = _split(obs)
    return likelihoods.full_ddm_logpdf(rt, response, v, a, z, t, sv, sz, st)


def _sampler(key, shape, obs, v, a, z, t, sv=0.0, sz=0.0, st=0.0):
    rt, response = simulators.sample_ddm(key, v, a, z, t, sv=sv, sz=sz, st=st, shape=shape)
    return jnp.stack([rt, response], axis=-1)


# The start point and non-decision time ranges must stay inside their domains.
_SZ_INSIDE = Constraint(
    "z - sz/2 > 0 and z + sz/2 < 1",
    lambda p: (p["z"] - p["sz"] / 2 > 0) & (p["z"] + p["sz"] / 2 < 1),
)
_ST_INSIDE = Constraint("st <= 2 t (so that t - st/2 >= 0)", lambda p: p["st"] <= 2 * p["t"])


def _ssm(name: str, params: tuple[ParamInfo, ...], logpdf, description: str, **kw) -> Family:
    return Family(
        name=name,
        params=params,
        logpdf=logpdf,
        sample=_sampler,
        response=("rt", "response"),
        kind="rt_choice",
        choices=CHOICES,
        aliases=((0.0, -1.0),),
        choice_labels=("lower", "upper"),
        moment_estimates=ddm_moment_estimates,
        description=description,
        **kw,
    )


SSM_FAMILIES = {
    "ddm": _ssm("ddm", (_V, _A, _Z, _T), _ddm_logpdf, "drift diffusion model"),
    "ddm_sdv": _ssm(
        "ddm_sdv",
        (_V, _A, _Z, _T, _SV),
        _ddm_sdv_logpdf,
        "drift diffusion model with across-trial drift variability",
    ),
    "full_ddm": _ssm(
        "full_ddm",
        (_V, _A, _Z, _T, _SV, _SZ, _ST),
        _full_ddm_logpdf,
        "drift diffusion model with drift, start-point and non-decision variability",
        constraints=(_SZ_INSIDE, _ST_INSIDE),
    ),
}
