"""The linear ballistic accumulator (Brown & Heathcote, 2008): ``lba2``, ``lba3``, ``lba4``.

Names, bounds, choices and default priors are HSSM's: parameters ``A`` (start-point
range), ``b`` (threshold, ``b > A``) and ``v0`` .. ``v{n-1}`` (mean drifts), choices
0 .. n-1 (the accumulator that won); a parameter HSSM gives no default prior gets
HSSM's prior from its bounds (``HalfNormal(2)`` from 0, ``TruncatedNormal`` of sd 2
from another finite lower bound). The density (:func:`hierax.likelihoods.lba.lba_logpdf`)
is normalised, as HSSM's, by the probability that not every drift is negative.

HSSM's LBA has no non-decision time and a drift sd ``s = 0.1`` across trials. Both
are parameters here, fixed at those values unless ``include`` names them:
``include=[{"name": "t", "prior": hx.Prior("HalfNormal", sigma=0.3)}]`` adds a
non-decision time, ``{"name": "s", ...}`` a free drift sd (then fix another scale,
e.g. ``b`` or one drift, or the model is not identified).

Examples
--------
>>> from hierax.families import get_family
>>> get_family("lba3").param_names
('A', 'b', 'v0', 'v1', 'v2', 't', 's')
>>> get_family("lba3")["s"].default
0.1
"""

from __future__ import annotations

import math

from hierax.families.base import Family, ParamInfo
from hierax.families.race import accumulator_family, rows
from hierax.likelihoods.lba import lba_logpdf
from hierax.simulators.lba import sample_lba
from hierax.spec.prior import Prior

__all__ = ["LBA_DRIFT_SD", "LBA_FAMILIES", "lba_family"]

INF = math.inf
#: The LBA's drift sd across trials when it is not estimated (HSSM's value).
LBA_DRIFT_SD = 0.1


def _lba_params(n: int) -> tuple[ParamInfo, ...]:
    drifts = tuple(
        ParamInfo(
            f"v{i}", (0.0, INF), Prior("HalfNormal", sigma=2.0), 0.2, 1.0, f"mean drift of {i}"
        )
        for i in range(n)
    )
    return (
        ParamInfo("A", (0.0, INF), Prior("HalfNormal", sigma=2.0), 0.1, 0.3, "start-point range"),
        ParamInfo(
            "b",
            (0.2, INF),
            Prior("TruncatedNormal", mu=0.2, lower=0.2, sigma=2.0),
            0.1,
            0.8,
            "threshold (b > A)",
        ),
        *drifts,
        ParamInfo(
            "t",
            (0.0, INF),
            Prior("HalfNormal", sigma=0.3),
            0.05,
            0.1,
            "non-decision time (s); fixed at 0 unless included",
            default=0.0,
            closed_lower=True,
        ),
        ParamInfo(
            "s",
            (0.0, INF),
            Prior("HalfNormal", sigma=0.5),
            0.02,
            LBA_DRIFT_SD,
            "drift sd across trials; fixed at 0.1 unless included",
            default=LBA_DRIFT_SD,
        ),
    )


def lba_family(n: int) -> Family:
    """The linear ballistic accumulator with ``n`` accumulators (``lba{n}``).

    Examples
    --------
    >>> lba_family(2).choices
    (0.0, 1.0)
    """

    def logpdf(obs, A, b, *rest):
        *drifts, t, s = rest
        return lba_logpdf(obs[..., 0], obs[..., 1], A, b, tuple(drifts), t=t, s=s)

    def sample(key, shape, obs, A, b, *rest):
        *drifts, t, s = rest
        rt, response = sample_lba(key, A, b, tuple(drifts), t=t, s=s, shape=shape)
        return rows(rt, response)

    return accumulator_family(
        f"lba{n}", _lba_params(n), logpdf, sample, n, f"linear ballistic accumulator, {n} choices"
    )


LBA_FAMILIES = {f"lba{n}": lba_family(n) for n in (2, 3, 4)}
