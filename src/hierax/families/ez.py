"""EZ-diffusion estimates (Wagenmakers, van der Maas & Grasman, 2007): DDM starting values.

Three summary statistics of one participant's data (the proportion of upper-boundary
responses, the mean and the variance of the response times) give closed-form
estimates of drift, boundary separation and non-decision time, assuming an unbiased
start point. The DDM families carry :func:`ddm_moment_estimates` as their
``moment_estimates``, which :mod:`hierax.inference.ez` turns into starting values.

Examples
--------
>>> import numpy as np
>>> est = ez_diffusion(np.array([0.5, 0.7, 0.6, 0.9, 0.55]), np.array([1, 1, 1, 0, 1]) > 0)
>>> sorted(est), est["v"] > 0
(['a', 't', 'v', 'z'], True)
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["T_MIN", "ddm_moment_estimates", "ez_diffusion"]

# Proportions of upper responses are kept this far from 0, 1/2 and 1 (in units of 1/n):
# EZ's drift is 0 at exactly 1/2 and infinite at 0 or 1 (the usual edge correction).
_EDGE = 0.5
# Non-decision time estimates are never below 10 ms.
T_MIN = 0.01


def ez_diffusion(rt: np.ndarray, upper: np.ndarray, t_max: float = math.inf) -> dict[str, float]:
    """EZ-diffusion estimates of ``v``, ``a`` (half the separation), ``z``, ``t``.

    Parameters
    ----------
    rt
        Response times (s) of one participant, shape (n,).
    upper
        True for upper-boundary responses, shape (n,).
    t_max
        Upper limit of the non-decision time estimate (s).

    Returns
    -------
    dict
        ``v`` (unit diffusion coefficient), ``a`` (HSSM's: half the boundary
        separation), ``z = 0.5`` and ``t`` (s), in hierax's parameterisation.

    """
    rt = np.asarray(rt, dtype=float)
    n = len(rt)
    p = float(np.mean(upper))
    edge = _EDGE / n
    p = min(max(p, edge), 1.0 - edge)
    if abs(p - 0.5) < edge:
        p = 0.5 + edge
    var = max(float(np.var(rt)), 1e-4)
    mean = float(np.mean(rt))
    logit = math.log(p / (1.0 - p))
    x = logit * (logit * p * p - logit * p + p - 0.5) / var
    v = math.copysign(abs(x) ** 0.25, p - 0.5)
    separation = logit / v
    y = -v * separation
    decision = separation / (2.0 * v) * (-math.expm1(y)) / (1.0 + math.exp(y))
    t = max(min(mean - decision, t_max), T_MIN)
    return {"v": v, "a": 0.5 * separation, "z": 0.5, "t": t}


def ddm_moment_estimates(rt: np.ndarray, response: np.ndarray, t_max: float) -> dict[str, float]:
    """EZ estimates from ``(rt, response)`` columns in the DDM's codes (1 upper, -1 lower)."""
    return ez_diffusion(rt, response > 0, t_max)
