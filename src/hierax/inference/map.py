"""Maximum a posteriori (MAP) point estimates.

The posterior density is maximised over the constrained parameters with an
:class:`~numpyro.infer.autoguide.AutoDelta` guide fitted by SVI (for a point
mass the negative ELBO is the negative log joint density, so minimising it
finds the mode). Group-specific effects are always non-centred here, whatever
the Model's ``noncentered`` says (:mod:`hierax.parameterisation`), so the mode
exists even for hierarchical models (the centred joint density is unbounded as
a group scale goes to zero).

Examples
--------
>>> import hierax as hx, pandas as pd
>>> df = pd.DataFrame({"y": [10.0, 12, 9, 11, 8]})
>>> m = hx.Model(df, model="normal", response="y")
>>> estimates = m.find_map(steps=2000, learning_rate=0.05, progress=False)
>>> sorted(estimates), round(float(estimates["mu"]))
(['mu', 'sigma'], 10)
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import jax
import numpy as np
from numpyro.infer import Predictive
from numpyro.infer.autoguide import AutoDelta

from hierax._config import precision
from hierax.inference.nuts import resolve_seed
from hierax.inference.sites import model_sites
from hierax.inference.vi import SVIFit, run_svi

__all__ = ["CONVERGENCE_RTOL", "run_map"]

# The optimisation counts as converged when the mean loss fell by less than this
# fraction of its total decrease between the second-to-last and the last tenth of the steps.
CONVERGENCE_RTOL = 1e-3


def _converged(losses: np.ndarray) -> bool:
    tenth = max(len(losses) // 10, 1)
    if len(losses) < 2 * tenth or not np.isfinite(losses[-2 * tenth :]).all():
        return False
    last, before = losses[-tenth:].mean(), losses[-2 * tenth : -tenth].mean()
    total = max(losses[0] - last, 0.0)
    return before - last <= CONVERGENCE_RTOL * total


def run_map(
    model_fn: Callable,
    resolved,
    *,
    steps: int = 5000,
    learning_rate: float = 0.01,
    seed: int | None = 0,
    progress: bool | None = None,
    initvals: dict[str, Any] | None = None,
    floatX: str | None = None,
) -> tuple[dict[str, np.ndarray], SVIFit]:
    """MAP estimates of every latent and deterministic site.

    Returns
    -------
    estimates : dict
        Site name (as in the posterior group) to its point estimate.
    fit : SVIFit
        The AutoDelta guide, its parameters and the loss per step.

    Warns
    -----
    UserWarning
        When the loss still changes over the last steps (raise ``steps``).
    """
    fit = run_svi(
        model_fn,
        resolved,
        AutoDelta,
        steps=steps,
        learning_rate=learning_rate,
        seed=resolve_seed(seed),
        progress=progress,
        initvals=initvals,
        floatX=floatX,
    )
    if not _converged(fit.losses):
        warnings.warn(
            f"find_map: the optimisation has not converged after {steps} steps (final loss "
            f"{fit.losses[-1]:.6g}); raise steps= or adjust learning_rate=.",
            UserWarning,
            stacklevel=3,
        )
    with precision(floatX):
        arrays = {k: jax.numpy.asarray(v) for k, v in resolved.arrays.items()}
        names = model_sites(fit.model, arrays).posterior_names
        point = fit.guide.median(fit.params)
        predictive = Predictive(
            fit.model,
            posterior_samples={k: v[None] for k, v in point.items()},
            return_sites=list(names),
        )
        values = predictive(jax.random.PRNGKey(0), arrays)
    return {k: np.asarray(values[k])[0] for k in names if k in values}, fit
