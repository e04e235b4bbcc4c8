"""Choosing centred or non-centred group terms from the data: ``noncentered="auto"``.

A group term's levels (e.g. participants) each have an effect drawn from the
group distribution with sd ``sigma``. Which parameterisation samples well
depends on how strongly each level's own data pin its effect down compared
with the group distribution (Papaspiliopoulos, Roberts & Sköld, 2007): with
informative data the centred form has a near-Gaussian posterior and the
non-centred one a funnel-like coupling between offsets and ``sigma``; with
little data per level it is the other way round.

We measure both sides on one scale. The data precision of a level is its
empirical Fisher information about the parameter, ``sum_i score_i**2`` over
the level's observations (times the term's values for slopes), with the
per-observation score ``d log p / d theta`` at the family's starting values;
the prior precision is ``1 / scale**2``, with ``scale`` the family's typical
between-participant spread (the scale of the safe group priors). The sampler
also visits group sds below that scale, the more so the fewer the levels: with
``J`` levels the posterior of an sd has a relative spread of about
``1 / sqrt(2 (J - 1))``, so its lower range is near ``scale * f`` with
``f = 1 - 2 / sqrt(2 (J - 1))``. A term is centred when every level has

    ``information * (scale * f)**2 >= AUTO_CENTER_RATIO``

and at least ``AUTO_CENTER_MIN_OBS`` observations (:func:`required_ratio` gives
the threshold on ``information * scale**2``; with 3 levels or fewer nothing is
centred). With 8 participants a ratio of 4.6 is needed, with 14 one of 2.7, with 60 one of 1.5.

For cavanagh_theta (about 285 trials per participant) that is 54 for ``v``,
19 for ``a``, 3.1 for ``t`` and 0.2 for ``z``: v, a and t are centred, z (whose
start point is weakly identified by each participant) stays non-centred, which
is what the measurements in docs/performance.md favour. With 20 trials per
participant only ``v`` is centred.

Examples
--------
>>> import hierax as hx
>>> data = hx.load_data("cavanagh_theta")
>>> m = hx.Model(data, global_formula="y ~ 1 + (1|participant_id)", noncentered="auto")
>>> [g.site for p in m.resolved.plans for g in p.group if g.centered]
['v_1|participant_id', 'a_1|participant_id', 't_1|participant_id']
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from hierax._config import precision
from hierax.families import Family

__all__ = [
    "AUTO_CENTER_MIN_OBS",
    "AUTO_CENTER_RATIO",
    "START_T_FRACTION",
    "information_ratio",
    "required_ratio",
    "trial_scores",
]

# Centre when the data precision of every level is at least the prior precision: the
# posterior of a level's effect is then narrower than the group distribution by sqrt(2)
# or more, the point where the centred form starts to win (Papaspiliopoulos et al. 2007).
AUTO_CENTER_RATIO = 1.0
# ... and when every level has at least this many observations: the information is
# estimated at one point (the starting values), and from a handful of observations that
# estimate is too noisy to act on (e.g. 2 observations per group of a normal model).
AUTO_CENTER_MIN_OBS = 10
# SSM non-decision time is evaluated at most at this fraction of the fastest response,
# so that every observation has a finite score (as in hierax.inference.initial).
START_T_FRACTION = 0.5


def _start(family: Family, obs: np.ndarray) -> dict[str, float]:
    start = {}
    for info in family.params:
        lower, upper = info.bounds
        value = info.init if lower < info.init < upper else 0.5 * (lower + upper)
        if info.default is not None:
            value = info.default
        if not math.isfinite(value):
            value = lower + 1.0 if math.isfinite(lower) else upper - 1.0
        start[info.name] = value
    if family.is_ssm and "t" in start:
        start["t"] = min(start["t"], START_T_FRACTION * float(np.min(obs[:, 0])))
    return start


def trial_scores(family: Family, obs: np.ndarray) -> dict[str, np.ndarray]:
    """``d log p(obs_i) / d theta`` for every family parameter at its starting value.

    Parameters
    ----------
    family
        The model family.
    obs
        The observations, shape (n,) or (n, k).

    Returns
    -------
    dict
        Parameter name to per-observation scores, shape (n,); non-finite
        scores are set to 0 (they carry no usable information).
    """
    start = _start(family, obs)
    n = obs.shape[0]
    with precision("float64"):
        data = jnp.asarray(obs)

        def total(values: dict[str, jax.Array]) -> jax.Array:
            return jnp.sum(family.log_prob(data, values))

        per_trial = {k: jnp.full((n,), v) for k, v in start.items()}
        grads = jax.jit(jax.grad(total))(per_trial)
    out = {}
    for name, grad in grads.items():
        grad = np.array(grad, dtype=float)
        grad[~np.isfinite(grad)] = 0.0
        out[name] = grad
    return out


def required_ratio(n_groups: int) -> float:
    """The ``information * scale**2`` a term with ``n_groups`` levels needs to be centred.

    Examples
    --------
    >>> round(required_ratio(8), 2), round(required_ratio(14), 2), required_ratio(3)
    (4.62, 2.71, inf)
    """
    lower = 1.0 - 2.0 / math.sqrt(2.0 * max(n_groups - 1, 1))
    return AUTO_CENTER_RATIO / lower**2 if lower > 0.0 else math.inf


def information_ratio(
    scores: np.ndarray, index: np.ndarray, values: np.ndarray, n_groups: int, scale: float
) -> float:
    """Smallest data-to-prior precision ratio over a group term's levels and columns.

    Parameters
    ----------
    scores
        Per-observation scores of the parameter, shape (n,).
    index
        Level of each observation, shape (n,), in ``[0, n_groups)``.
    values
        The term's values per observation, shape (n,) or (n, k) (ones for ``1|g``).
    n_groups
        Number of levels.
    scale
        Typical between-level spread of the parameter (its prior sd).

    Returns
    -------
    float
        ``min over levels and columns of sum((score * value)**2) * scale**2``;
        0 when a level has fewer than ``AUTO_CENTER_MIN_OBS`` observations.

    Examples
    --------
    >>> import numpy as np
    >>> index = np.repeat([0, 1], 20)
    >>> information_ratio(np.ones(40), index, np.ones(40), 2, 0.5)
    5.0
    >>> information_ratio(np.ones(6), index[::20 // 3][:6], np.ones(6), 2, 0.5)
    0.0
    """
    if np.bincount(index, minlength=n_groups).min() < AUTO_CENTER_MIN_OBS:
        return 0.0
    values = np.reshape(values, (len(scores), -1))
    info = np.stack(
        [
            np.bincount(index, weights=(scores * values[:, c]) ** 2, minlength=n_groups)
            for c in range(values.shape[1])
        ]
    )
    return float(info.min() * scale**2)
