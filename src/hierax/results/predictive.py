"""Posterior and prior predictive simulation with the family simulators.

The model function with ``observed=False`` draws the observations from its
likelihood (for SSMs the exact DDM simulator, mixed with the lapse process
when the model has one); NumPyro's :class:`~numpyro.infer.Predictive` runs it
with each posterior (or prior) draw. Draws are processed in chunks (see
:mod:`hierax.results.chunks`), so 4000 draws x 100 000 trials fit in memory.

Examples
--------
>>> import hierax as hx, pandas as pd
>>> df = pd.DataFrame({"y": [10.0, 12, 9, 11, 8]})
>>> m = hx.Model(df, model="normal", response="y")
>>> _ = m.sample(draws=40, tune=40, chains=1, seed=0, progress=False, diagnose=False)
>>> idata = m.sample_posterior_predictive(draws=10, seed=1)
>>> idata.posterior_predictive["y"].shape
(1, 10, 5)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import arviz as az
import jax
import numpy as np
from numpyro.infer import Predictive

from hierax._config import precision
from hierax.inference.nuts import resolve_seed
from hierax.inference.sites import model_sites
from hierax.parameterisation import parameterisation
from hierax.results.chunks import map_draws
from hierax.results.idata import flatten_draws, group_dataset, obs_dims

__all__ = ["posterior_predictive", "prior_predictive", "thin_draws"]


def thin_draws(posterior, draws: int | None):
    """The posterior with about ``draws`` draws in all, evenly spaced within each chain.

    ``None`` keeps every draw. Draw coordinates are kept, so the predictive
    draws line up with the posterior draws they come from.
    """
    if draws is None:
        return posterior
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ValueError(f"draws must be a positive integer or None, got {draws!r}.")
    n_chain, n_draw = posterior.sizes["chain"], posterior.sizes["draw"]
    per_chain = min(n_draw, math.ceil(draws / n_chain))
    index = np.unique(np.linspace(0, n_draw - 1, per_chain).round().astype(int))
    return posterior.isel(draw=index)


def _simulate(model_fn, resolved, samples, seed, floatX, dtype) -> np.ndarray:
    """Observations simulated for each flat draw in ``samples``: (n_draws,) + obs shape."""
    obs = resolved.arrays["obs"]
    key = jax.random.PRNGKey(seed)
    with precision(floatX):
        arrays = {k: jax.numpy.asarray(v) for k, v in resolved.arrays.items()}

        @jax.jit
        def simulate(chunk, index):
            predictive = Predictive(
                model_fn, posterior_samples=chunk, batch_ndims=1, return_sites=[resolved.obs_site]
            )
            return predictive(jax.random.fold_in(key, index), arrays, observed=False)[
                resolved.obs_site
            ]

        return map_draws(simulate, samples, obs.shape, dtype=np.dtype(dtype))


def posterior_predictive(
    model_fn: Callable,
    resolved,
    idata: az.InferenceData,
    *,
    draws: int | None = None,
    seed: int | None = None,
    floatX: str | None = None,
    dtype: str = "float64",
) -> az.InferenceData:
    """Add a ``posterior_predictive`` group to ``idata`` (in place) and return it.

    Parameters
    ----------
    model_fn, resolved
        The model function and its resolved specification.
    idata
        Holds the ``posterior`` group.
    draws
        Number of posterior draws to simulate from, evenly spaced within each
        chain; ``None`` (default) uses all.
    seed
        Random seed; the same seed gives the same simulations.
    floatX
        Precision of the simulation.
    dtype
        dtype of the stored simulations (``"float32"`` halves the memory).
    """
    if getattr(idata, "posterior", None) is None:
        raise ValueError("idata has no posterior group; sample the model first.")
    posterior = thin_draws(idata.posterior, draws)
    latent = check_posterior_sites(model_fn, resolved, posterior)
    samples = {name: posterior[name].to_numpy() for name in latent}
    flat, (chains, n_draws) = flatten_draws(samples)
    simulated = _simulate(model_fn, resolved, flat, resolve_seed(seed), floatX, dtype)
    simulated = simulated.reshape((chains, n_draws) + simulated.shape[1:])
    dataset = group_dataset(
        {resolved.obs_site: simulated}, resolved, per_obs={resolved.obs_site: obs_dims(resolved)}
    )
    dataset = dataset.assign_coords(chain=posterior["chain"].values, draw=posterior["draw"].values)
    _replace_groups(idata, {"posterior_predictive": dataset})
    return idata


def check_posterior_sites(model_fn: Callable, resolved, posterior) -> tuple[str, ...]:
    """The model's latent sites, after checking that ``posterior`` holds every one.

    Raises
    ------
    ValueError
        Naming the sites the posterior lacks (draws of another model).
    """
    latent = tuple(model_sites(model_fn, resolved.arrays).latent)
    missing = [name for name in latent if name not in posterior]
    if missing:
        raise ValueError(
            f"The posterior lacks the site(s) {', '.join(missing)} of this model; was it "
            "sampled from another model?"
        )
    return latent


def prior_predictive(
    model_fn: Callable,
    resolved,
    *,
    draws: int = 500,
    seed: int | None = None,
    floatX: str | None = None,
    dtype: str = "float64",
) -> az.InferenceData:
    """Draws from the prior (``prior`` group) and of observations (``prior_predictive``).

    Also holds ``observed_data``. Parameters as in :func:`posterior_predictive`.
    """
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ValueError(f"draws must be a positive integer, got {draws!r}.")
    seed = resolve_seed(seed)
    with precision(floatX):
        arrays = {k: jax.numpy.asarray(v) for k, v in resolved.arrays.items()}
        # The sites NUTS samples, so that the prior and posterior groups hold the same
        # variables; observed=True: the observations are simulated below, in chunks.
        nuts_view = parameterisation(resolved).apply(model_fn)
        sites = model_sites(nuts_view, arrays)
        prior = Predictive(nuts_view, num_samples=draws, return_sites=list(sites.posterior_names))(
            jax.random.PRNGKey(seed), arrays
        )
    prior = {k: np.asarray(v) for k, v in prior.items()}
    latent = {k: prior[k] for k in sites.latent}
    simulated = _simulate(model_fn, resolved, latent, seed + 1, floatX, dtype)
    groups = {
        "prior": group_dataset({k: v[None] for k, v in prior.items()}, resolved),
        "prior_predictive": group_dataset(
            {resolved.obs_site: simulated[None]},
            resolved,
            per_obs={resolved.obs_site: obs_dims(resolved)},
        ),
        "observed_data": group_dataset(
            {resolved.obs_site: resolved.arrays["obs"]},
            resolved,
            sample_dims=False,
            per_obs={resolved.obs_site: obs_dims(resolved)},
        ),
    }
    return az.InferenceData(**groups)


def _replace_groups(idata: az.InferenceData, groups: dict[str, Any]) -> None:
    """Add ``groups`` to ``idata``, replacing groups of the same name."""
    idata.extend(az.InferenceData(**groups), join="right")
