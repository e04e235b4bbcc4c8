"""Race models of diffusion and counting: the racing diffusion model and the Poisson race.

Names, bounds, choices and default priors are HSSM's (its ``modelconfig``); a
parameter HSSM gives no default prior gets HSSM's prior from its bounds
(``HalfNormal(2)`` from 0, ``TruncatedNormal(lower, 2)`` from another finite
lower bound). Observations are ``(rt, response)`` rows; the response names the
accumulator that won.

====================== =========================== ========
model                  parameters                  choices
====================== =========================== ========
``racing_diffusion_3`` A, b, v0, v1, v2, t         0, 1, 2
``poisson_race``       r1, r2, k1, k2, t           -1, 1
====================== =========================== ========

The racing diffusion model (Tillman, Van Zandt & Logan, 2020;
:func:`hierax.likelihoods.racing_diffusion.racing_diffusion_logpdf`) races Wald
accumulators with start points uniform on ``(0, A)`` to a threshold ``b > A``
(where ``b <= A`` the log density is ``-inf``). The Poisson race
(:func:`hierax.likelihoods.poisson_race.poisson_race_logpdf`) races two
gamma-distributed counters; response -1 means counter 1 won.

Examples
--------
>>> from hierax.families import get_family
>>> get_family("racing_diffusion_3").param_names
('A', 'b', 'v0', 'v1', 'v2', 't')
>>> get_family("poisson_race").choices
(-1.0, 1.0)
"""

from __future__ import annotations

import math

import jax.numpy as jnp

from hierax.families.base import Constraint, Family, ParamInfo
from hierax.likelihoods.poisson_race import poisson_race_logpdf
from hierax.likelihoods.racing_diffusion import racing_diffusion_logpdf
from hierax.simulators.poisson_race import sample_poisson_race
from hierax.simulators.racing_diffusion import sample_racing_diffusion
from hierax.spec.prior import Prior

__all__ = ["B_ABOVE_A", "RACE_FAMILIES", "accumulator_family", "racing_diffusion_family", "rows"]

INF = math.inf
#: The threshold must lie above the start-point range (LBA and racing diffusion).
B_ABOVE_A = Constraint("b > A", lambda p: p["b"] > p["A"])


def rows(rt, response):
    """``(rt, response)`` rows from two arrays of draws."""
    return jnp.stack([rt, response.astype(rt.dtype)], axis=-1)


def accumulator_family(
    name: str, params: tuple[ParamInfo, ...], logpdf, sample, n: int, description: str
) -> Family:
    """A race of ``n`` accumulators to a threshold ``b`` above the start-point range
    ``A``: ``(rt, response)`` rows, the response (0 .. n-1) naming the winner.

    Examples
    --------
    >>> accumulator_family("lba2", (), None, None, 2, "").choices
    (0.0, 1.0)
    """
    return Family(
        name=name,
        params=params,
        logpdf=logpdf,
        sample=sample,
        response=("rt", "response"),
        kind="rt_choice",
        choices=tuple(float(i) for i in range(n)),
        constraints=(B_ABOVE_A,),
        description=description,
    )


def _rdm_params(n: int) -> tuple[ParamInfo, ...]:
    drifts = tuple(
        ParamInfo(
            f"v{i}",
            (0.001, INF),
            Prior("TruncatedNormal", mu=0.001, lower=0.001, sigma=2.0),
            0.3,
            1.5,
            f"drift of accumulator {i}",
        )
        for i in range(n)
    )
    return (
        ParamInfo("A", (0.0, INF), Prior("HalfNormal", sigma=0.5), 0.1, 0.3, "start-point range"),
        ParamInfo(
            "b",
            (0.1, INF),
            Prior("TruncatedNormal", mu=0.1, lower=0.1, sigma=2.0),
            0.2,
            1.0,
            "threshold (b > A)",
        ),
        *drifts,
        ParamInfo(
            "t",
            (0.0, INF),
            Prior("HalfNormal", sigma=0.3),
            0.05,
            0.1,
            "non-decision time",
            closed_lower=True,
        ),
    )


def racing_diffusion_family(n: int = 3) -> Family:
    """The racing diffusion model with ``n`` Wald accumulators (Tillman et al., 2020).

    Examples
    --------
    >>> racing_diffusion_family(3).param_names
    ('A', 'b', 'v0', 'v1', 'v2', 't')
    """

    def logpdf(obs, A, b, *rest):
        *drifts, t = rest
        return racing_diffusion_logpdf(obs[..., 0], obs[..., 1], A, b, tuple(drifts), t)

    def sample(key, shape, obs, A, b, *rest):
        *drifts, t = rest
        rt, response = sample_racing_diffusion(key, A, b, tuple(drifts), t, shape=shape)
        return rows(rt, response)

    return accumulator_family(
        f"racing_diffusion_{n}",
        _rdm_params(n),
        logpdf,
        sample,
        n,
        f"racing diffusion model, {n} choices",
    )


def _poisson_race_logpdf(obs, r1, r2, k1, k2, t):
    return poisson_race_logpdf(obs[..., 0], obs[..., 1], r1, r2, k1, k2, t)


def _poisson_race_sample(key, shape, obs, r1, r2, k1, k2, t):
    return rows(*sample_poisson_race(key, r1, r2, k1, k2, t, shape=shape))


_EPS = float(jnp.finfo(jnp.float64).eps)

POISSON_RACE = Family(
    name="poisson_race",
    params=(
        ParamInfo(
            "r1", (_EPS, INF), Prior("HalfNormal", sigma=5.0), 2.0, 10.0, "rate of counter 1"
        ),
        ParamInfo(
            "r2", (_EPS, INF), Prior("HalfNormal", sigma=5.0), 2.0, 10.0, "rate of counter 2"
        ),
        ParamInfo(
            "k1", (_EPS, INF), Prior("HalfNormal", sigma=20.0), 1.0, 5.0, "count of counter 1"
        ),
        ParamInfo(
            "k2", (_EPS, INF), Prior("HalfNormal", sigma=20.0), 1.0, 5.0, "count of counter 2"
        ),
        ParamInfo(
            "t",
            (0.0, INF),
            Prior("HalfNormal", sigma=2.0),
            0.05,
            0.1,
            "non-decision time",
            closed_lower=True,
        ),
    ),
    logpdf=_poisson_race_logpdf,
    sample=_poisson_race_sample,
    response=("rt", "response"),
    kind="rt_choice",
    choices=(-1.0, 1.0),
    aliases=((0.0, -1.0),),
    description="Poisson race (two gamma-distributed counters)",
)

RACE_FAMILIES = {
    "racing_diffusion_3": racing_diffusion_family(3),
    "poisson_race": POISSON_RACE,
}
