"""The sites of a hierax NumPyro model: which are sampled, which are computed.

Examples
--------
>>> import hierax as hx, pandas as pd
>>> df = pd.DataFrame({"y": [1.0, 2.0, 3.0, 2.5]})
>>> m = hx.Model(df, model="normal", response="y")
>>> sorted(model_sites(m.model_fn, m.resolved.arrays).latent)
['mu', 'sigma']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jax
import numpy as np
from numpyro import handlers

__all__ = ["Sites", "model_sites", "trace_at"]


@dataclass(frozen=True)
class Sites:
    """Site names of a model, in the order the model visits them.

    ``latent`` maps each sampled (unobserved) site to its prior distribution
    object, ``deterministic`` lists computed sites (e.g. non-centred group
    effects), ``observed`` is the likelihood site.
    """

    latent: dict[str, Any]
    deterministic: tuple[str, ...]
    observed: str

    @property
    def posterior_names(self) -> tuple[str, ...]:
        """The variables of the posterior group: latent then deterministic sites."""
        return tuple(self.latent) + self.deterministic


def trace_at(
    model_fn: Callable,
    arrays: Mapping[str, Any],
    values: Mapping[str, Any] | None = None,
    seed: int = 0,
) -> dict[str, dict]:
    """The NumPyro trace of ``model_fn(arrays)`` with latent sites set to ``values``."""
    fn = handlers.seed(model_fn, jax.random.PRNGKey(seed))
    if values:
        fn = handlers.substitute(fn, data=dict(values))
    return handlers.trace(fn).get_trace(arrays)


def model_sites(model_fn: Callable, arrays: Mapping[str, Any]) -> Sites:
    """Trace the model once (prior draws, nothing compiled) and classify its sites."""
    latent: dict[str, Any] = {}
    deterministic: list[str] = []
    observed = ""
    for name, site in trace_at(model_fn, arrays).items():
        if site["type"] == "deterministic":
            deterministic.append(name)
        elif site["type"] == "sample":
            if site["is_observed"]:
                observed = name
            else:
                latent[name] = site
    return Sites(latent=latent, deterministic=tuple(deterministic), observed=observed)


def site_shape(site: dict) -> tuple[int, ...]:
    """Shape of one draw of a sample site."""
    return tuple(np.shape(site["value"]))
