"""Model comparison by expected log predictive density (PSIS-LOO or WAIC, via ArviZ).

Examples
--------
>>> import hierax as hx, pandas as pd
>>> df = pd.DataFrame({"y": [1.0, 2.2, 2.9, 4.1, 5.0, 6.2], "x": [1.0, 2, 3, 4, 5, 6]})
>>> fits = {}
>>> for name, formula in [("slope", "mu ~ 1 + x"), ("flat", "mu ~ 1")]:
...     m = hx.Model(df, model="normal", response="y",
...                  include=[{"name": "mu", "formula": formula}])
...     _ = m.sample(draws=200, tune=200, chains=1, seed=0, progress=False, diagnose=False)
...     fits[name] = m
>>> hx.compare(fits).index[0]  # doctest: +SKIP
'slope'
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import arviz as az
import pandas as pd

__all__ = ["compare"]


def _idata(name: str, item: Any) -> az.InferenceData:
    from hierax.model import Model

    if isinstance(item, Model):
        if item.traces is None:
            raise ValueError(f"Model {name!r} has not been fitted; call .sample() first.")
        item = item.traces
    if not isinstance(item, az.InferenceData):
        raise TypeError(
            f"compare() takes hx.Model or arviz.InferenceData values; {name!r} is a "
            f"{type(item).__name__}."
        )
    if getattr(item, "log_likelihood", None) is None:
        raise ValueError(
            f"{name!r} has no log_likelihood group; sample with log_likelihood=True (the default)."
        )
    return item


def compare(
    models: Mapping[str, Any],
    ic: str = "loo",
    *,
    method: str = "stacking",
    scale: str = "log",
    quiet: bool = False,
    **kwargs: Any,
) -> pd.DataFrame:
    """Rank fitted models by their expected log predictive density (``arviz.compare``).

    Parameters
    ----------
    models
        Name to fitted :class:`hierax.Model` or ``arviz.InferenceData`` (with
        a ``log_likelihood`` group); at least two.
    ic
        ``"loo"`` (PSIS leave-one-out, default) or ``"waic"``.
    method
        Weights: ``"stacking"``, ``"BB-pseudo-BMA"`` or ``"pseudo-BMA"``.
    scale
        ``"log"`` (higher is better), ``"negative_log"`` or ``"deviance"``.
    quiet
        Silence ArviZ's warnings (e.g. high Pareto k).
    **kwargs
        Passed to :func:`arviz.compare`.

    Returns
    -------
    pandas.DataFrame
        One row per model, best first (``elpd_loo``, ``p_loo``, ``elpd_diff``,
        ``weight``, ``se``, ``dse``, ``warning``).
    """
    if not isinstance(models, Mapping) or len(models) < 2:
        raise ValueError(
            "compare() needs a dict of at least two named models, e.g. "
            "{'m1': model1, 'm2': model2}."
        )
    if ic not in ("loo", "waic"):
        raise ValueError(f"ic must be 'loo' or 'waic', got {ic!r}.")
    idatas = {str(name): _idata(str(name), item) for name, item in models.items()}
    with warnings.catch_warnings():
        if quiet:
            warnings.simplefilter("ignore")
        return az.compare(idatas, ic=ic, method=method, scale=scale, **kwargs)
