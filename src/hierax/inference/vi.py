"""Variational inference (ADVI) of a hierax model with NumPyro's SVI.

``"advi"`` fits a diagonal normal in the unconstrained space
(:class:`numpyro.infer.autoguide.AutoNormal`, mean-field ADVI);
``"fullrank_advi"`` a normal with a full covariance
(:class:`~numpyro.infer.autoguide.AutoMultivariateNormal`). Both start from
hierax's initial values and are fitted by stochastic gradient ascent on the
ELBO (:class:`numpyro.optim.ClippedAdam`).

Examples
--------
>>> import hierax as hx, pandas as pd
>>> df = pd.DataFrame({"y": [10.0, 12, 9, 11, 8]})
>>> m = hx.Model(df, model="normal", response="y")
>>> idata = m.vi(steps=500, draws=100, seed=0, progress=False)
>>> idata.vi["loss"].sizes["step"], idata.posterior.sizes["draw"]
(500, 100)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jax
import numpy as np
from numpyro.infer import SVI, Predictive, Trace_ELBO, init_to_value
from numpyro.infer.autoguide import AutoMultivariateNormal, AutoNormal
from numpyro.optim import ClippedAdam

from hierax._config import precision
from hierax.inference.nuts import resolve_seed, show_progress, start_values
from hierax.inference.sites import model_sites
from hierax.parameterisation import parameterisation

__all__ = ["VI_METHODS", "SVIFit", "run_svi", "run_vi"]

VI_METHODS = ("advi", "fullrank_advi")
# Initial scale of the guide's normal in the unconstrained space: small, so
# that the first steps stay near the (checked) initial values.
INIT_SCALE = 0.1
# Gradient norm above which ClippedAdam clips a step (protects the first steps).
CLIP_NORM = 10.0


@dataclass(frozen=True)
class SVIFit:
    """A fitted guide: the guide, its parameters, the loss (negative ELBO) per step, and
    the (non-centred) model function it was fitted to."""

    guide: Any
    params: dict[str, Any]
    losses: np.ndarray
    model: Callable


def _check_positive(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")


def run_svi(
    model_fn: Callable,
    resolved,
    guide_class,
    *,
    steps: int,
    learning_rate: float,
    seed: int,
    progress: bool | None,
    initvals: dict[str, Any] | None,
    floatX: str | None,
    **guide_kwargs: Any,
) -> SVIFit:
    """Fit ``guide_class(model_fn)`` by SVI from hierax's checked initial values."""
    _check_positive("steps", steps)
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}.")
    noncentred = parameterisation(resolved, noncentred=True)  # a mode exists (REVIEW B1)
    values = start_values(model_fn, resolved, initvals, floatX, noncentred)
    model_fn = noncentred.apply(model_fn)
    guide = guide_class(model_fn, init_loc_fn=init_to_value(values=values), **guide_kwargs)
    svi = SVI(
        model_fn, guide, ClippedAdam(step_size=learning_rate, clip_norm=CLIP_NORM), Trace_ELBO()
    )
    with precision(floatX):
        arrays = {k: jax.numpy.asarray(v) for k, v in resolved.arrays.items()}
        result = svi.run(
            jax.random.PRNGKey(seed),
            steps,
            arrays,
            progress_bar=show_progress(progress),
            stable_update=True,
        )
    return SVIFit(guide, result.params, np.asarray(result.losses), model_fn)


def run_vi(
    model_fn: Callable,
    resolved,
    *,
    method: str = "advi",
    steps: int = 10_000,
    learning_rate: float = 0.01,
    draws: int = 1000,
    seed: int | None = None,
    progress: bool | None = None,
    initvals: dict[str, Any] | None = None,
    floatX: str | None = None,
) -> tuple[dict[str, np.ndarray], SVIFit]:
    """Fit ADVI and draw from the fitted approximation.

    Returns
    -------
    samples : dict
        Site name to ``draws`` draws, shape ``(1, draws) + site shape`` (one
        "chain"), latent and deterministic sites as in NUTS.
    fit : SVIFit
        The guide, its parameters and the loss history.
    """
    if method not in VI_METHODS:
        raise ValueError(f"method must be one of {VI_METHODS}, got {method!r}.")
    _check_positive("draws", draws)
    guide_class = AutoNormal if method == "advi" else AutoMultivariateNormal
    seed = resolve_seed(seed)
    fit = run_svi(
        model_fn,
        resolved,
        guide_class,
        steps=steps,
        learning_rate=learning_rate,
        seed=seed,
        progress=progress,
        initvals=initvals,
        floatX=floatX,
        init_scale=INIT_SCALE,
    )
    with precision(floatX):
        arrays = {k: jax.numpy.asarray(v) for k, v in resolved.arrays.items()}
        names = model_sites(fit.model, arrays).posterior_names
        predictive = Predictive(
            fit.model,
            guide=fit.guide,
            params=fit.params,
            num_samples=draws,
            return_sites=list(names),
        )
        draws_ = predictive(jax.random.fold_in(jax.random.PRNGKey(seed), 1), arrays)
    samples = {k: np.asarray(draws_[k])[None] for k in names if k in draws_}
    return samples, fit
