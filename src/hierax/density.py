"""``hx.logp``: the per-trial log density of any family, for data and parameters you give.

Examples
--------
>>> import pandas as pd
>>> data = pd.DataFrame({"rt": [0.6, 0.9], "response": [1, 0]})
>>> logp("ddm", data, v=1.0, a=1.0, z=0.5, t=0.3).round(4).tolist()
[0.0703, -2.2899]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax.numpy as jnp
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from hierax._config import precision
from hierax.families import Family, FamilyDistribution, LapseMixture, get_family
from hierax.observations import observations
from hierax.parameters import parameter_values
from hierax.spec.prior import Prior, as_prior

__all__ = ["logp"]

_DEFAULT_LAPSE = Prior("Uniform", lower=0.0, upper=20.0)


def _as_observations(family: Family, data: Any, choices) -> np.ndarray:
    if isinstance(data, pd.DataFrame):
        return observations(data, family, choices=choices)
    obs = np.asarray(data, dtype=np.float64)
    width = len(family.response)
    if obs.ndim != (2 if width > 1 else 1) or (width > 1 and obs.shape[1] != width):
        raise ValueError(
            f"Model {family.name!r} observes {', '.join(family.response)}: pass a DataFrame "
            f"with those columns or an array of shape (n, {width})"
            + (f" or (n,); got shape {obs.shape}." if width == 1 else f"; got shape {obs.shape}.")
        )
    frame = pd.DataFrame(obs.reshape(len(obs), -1), columns=list(family.response))
    return observations(frame, family, choices=choices)


def logp(
    model: str | Family,
    data: pd.DataFrame | ArrayLike,
    *,
    choices: Sequence[float] | None = None,
    p_outlier: float | None = None,
    lapse: Prior | dict | None = None,
    **params: ArrayLike,
) -> np.ndarray:
    """Log density of each observation under ``model`` at the given parameter values.

    Parameters
    ----------
    model
        A family name (``"ddm"``, ``"lba3"``, a registered user family ...) or a
        :class:`~hierax.families.Family`.
    data
        A DataFrame with the family's response columns (``rt``, ``response``),
        or an array of shape ``(n, 2)`` (``(n,)`` for one-column families). Response
        codes are read as :class:`hierax.Model` reads them (``choices=``).
    choices
        Your response codes, when they differ from the family's.
    p_outlier, lapse
        An optional lapse mixture, as in :class:`hierax.Model` (default lapse
        ``Uniform(0, 20)`` over rt).
    **params
        One value per parameter: scalars or arrays with one value per row.
        Parameters with a default (the LBA's ``t``, ``s``) may be left out.

    Returns
    -------
    numpy.ndarray
        Shape ``(n,)``, float64; ``-inf`` where the parameters leave their bounds
        or a rule between them (``b > A``) fails.
    """
    family = get_family(model)
    obs = _as_observations(family, data, choices)
    values, n_rows = parameter_values(family, params)
    if n_rows not in (1, len(obs)):
        raise ValueError(
            f"Per-trial parameters have {n_rows} values but the data have {len(obs)} rows."
        )
    checked = {info.name: (info.bounds, info.init) for info in family.params}
    with precision("float64"):
        params_jax = {k: jnp.asarray(v) for k, v in values.items()}
        d = FamilyDistribution(family, params_jax, checked=checked)
        if p_outlier is not None:
            if not 0.0 <= float(p_outlier) < 1.0:
                raise ValueError(f"p_outlier must lie in [0, 1), got {p_outlier}.")
            lapse_prior = as_prior(lapse if lapse is not None else _DEFAULT_LAPSE)
            d = LapseMixture(d, float(p_outlier), lapse_prior.distribution())
        out = np.asarray(d.log_prob(jnp.asarray(obs)), dtype=np.float64)
    return np.broadcast_to(out, (len(obs),)).copy()
