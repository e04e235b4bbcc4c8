"""Choice-only models: the softmax with an inverse temperature (HSSM's softmax models).

Observations are one ``response`` column; there is no rt. With ``n`` options
the parameters are ``beta`` (inverse temperature, > 0) and ``logit1`` ..
``logit{n-1}`` (``logit0`` is 0), and ``P(i) = softmax(beta * logits)_i``
(:func:`hierax.likelihoods.softmax_logpmf`). HSSM's codes: -1 and 1 for two
options (0 is read as -1), 0 .. n-1 for more.

Examples
--------
>>> softmax_family(3).param_names
('beta', 'logit1', 'logit2')
>>> softmax_family(2).choices
(-1.0, 1.0)
"""

from __future__ import annotations

import math

from hierax.families.base import Family, ParamInfo
from hierax.likelihoods.softmax import softmax_logpmf
from hierax.simulators.softmax import sample_softmax
from hierax.spec.prior import Prior

__all__ = ["CHOICE_FAMILIES", "softmax_family"]

INF = math.inf


def softmax_family(n: int) -> Family:
    """The softmax choice model with ``n`` options (``softmax_inv_temperature_{n}``)."""
    choices = (-1.0, 1.0) if n == 2 else tuple(float(i) for i in range(n))

    def index(codes):
        return (codes + 1.0) / 2.0 if n == 2 else codes

    def logpdf(obs, beta, *logits):
        return softmax_logpmf(index(obs), beta, tuple(logits))

    def sample(key, shape, obs, beta, *logits):
        drawn = sample_softmax(key, beta, tuple(logits), shape=shape)
        return 2.0 * drawn - 1.0 if n == 2 else drawn

    logits = tuple(
        ParamInfo(f"logit{i}", (-INF, INF), Prior("Normal", mu=0.0, sigma=1.0), 0.3, 0.0, "")
        for i in range(1, n)
    )
    beta = ParamInfo(
        "beta", (0.0, INF), Prior("Gamma", alpha=2.0, beta=0.5), 0.5, 1.0, "inverse temperature"
    )
    return Family(
        name=f"softmax_inv_temperature_{n}",
        params=(beta, *logits),
        logpdf=logpdf,
        sample=sample,
        response=("response",),
        kind="choice",
        choices=choices,
        aliases=((0.0, -1.0),) if n == 2 else (),
        description=f"softmax inverse-temperature choice model, {n} options",
    )


CHOICE_FAMILIES = {f"softmax_inv_temperature_{n}": softmax_family(n) for n in (2, 3)}
