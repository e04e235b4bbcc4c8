"""NumPyro samples to an ArviZ InferenceData with named dimensions.

Groups: ``posterior``, ``sample_stats`` (NUTS: diverging, tree_depth,
n_steps, energy, step_size, acceptance_rate, lp), ``log_likelihood``
(pointwise, one value per observation, for ``arviz.loo``), ``observed_data``
and ``constant_data`` (the data columns the formulas use). Observations are
indexed by the dimension ``__obs__`` (the row position in the data).

Examples
--------
>>> import hierax as hx, pandas as pd
>>> df = pd.DataFrame({"y": [1.0, 2.0, 3.0, 2.5]})
>>> m = hx.Model(df, model="normal", response="y")
>>> idata = m.sample(draws=20, tune=20, chains=1, seed=0, progress=False, diagnose=False)
>>> idata.log_likelihood["y"].dims
('chain', 'draw', '__obs__')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import arviz as az
import jax
import numpy as np
from numpyro.infer import log_likelihood as numpyro_log_likelihood

from hierax._config import precision
from hierax.results.chunks import map_draws

__all__ = [
    "OBS_DIM",
    "flatten_draws",
    "from_samples",
    "obs_dims",
    "pointwise_log_likelihood",
    "to_inference_data",
]

OBS_DIM = "__obs__"


def obs_dims(resolved) -> list[str]:
    """Dimensions of the observations (``__obs__``, plus one for (rt, response) pairs)."""
    extra = [f"{resolved.obs_site}_extra_dim_0"] if resolved.arrays["obs"].ndim > 1 else []
    return [OBS_DIM] + extra


def flatten_draws(samples: Mapping[str, np.ndarray]) -> tuple[dict[str, np.ndarray], tuple]:
    """Merge the chain and draw axes: returns the flat arrays and ``(chains, draws)``."""
    first = np.asarray(next(iter(samples.values())))
    chains, draws = first.shape[:2]
    flat = {
        k: np.reshape(np.asarray(v), (chains * draws,) + np.shape(v)[2:])
        for k, v in samples.items()
    }
    return flat, (chains, draws)


def pointwise_log_likelihood(
    model_fn: Callable,
    samples: Mapping[str, np.ndarray],
    arrays: Mapping[str, np.ndarray],
    obs_site: str,
    floatX: str | None = None,
    dtype: str | np.dtype = "float64",
) -> np.ndarray:
    """Log density of each observation under each draw: shape (chain, draw, n_obs).

    Computed in chunks of draws (see :mod:`hierax.results.chunks`) written
    into one array of ``dtype`` (``"float32"`` halves the memory).
    """
    flat, (chains, draws) = flatten_draws(samples)
    n_obs = len(arrays["obs"])
    with precision(floatX):
        device_arrays = {k: jax.numpy.asarray(v) for k, v in arrays.items()}
        compute = jax.jit(lambda s: numpyro_log_likelihood(model_fn, s, device_arrays)[obs_site])
        values = map_draws(lambda s, _: compute(s), flat, (n_obs,), dtype=np.dtype(dtype))
    return values.reshape((chains, draws, n_obs))


def mcmc_sample_stats(mcmc) -> dict[str, np.ndarray]:
    """The ``sample_stats`` group of a NumPyro NUTS run, under ArviZ's names."""
    extra = mcmc.get_extra_fields(group_by_chain=True)
    stats = {}
    if "diverging" in extra:
        stats["diverging"] = np.asarray(extra["diverging"], dtype=bool)
    if "num_steps" in extra:
        steps = np.asarray(extra["num_steps"])
        stats["n_steps"] = steps
        stats["tree_depth"] = np.floor(np.log2(np.maximum(steps, 1))).astype(int) + 1
    if "energy" in extra:
        stats["energy"] = np.asarray(extra["energy"])
    if "accept_prob" in extra:
        stats["acceptance_rate"] = np.asarray(extra["accept_prob"])
    if "adapt_state.step_size" in extra:
        stats["step_size"] = np.asarray(extra["adapt_state.step_size"])
    if "potential_energy" in extra:
        stats["lp"] = -np.asarray(extra["potential_energy"])
    return stats


def group_dataset(
    values: Mapping[str, np.ndarray],
    resolved,
    *,
    sample_dims: bool = True,
    per_obs: Mapping[str, list[str]] | None = None,
):
    """An xarray Dataset for one group, with hierax's dims and coordinates."""
    dims = {k: v for k, v in resolved.dims.items() if k in values}
    dims.update(per_obs or {})
    coords = {k: v for k, v in resolved.coords.items() if any(k in d for d in dims.values())}
    if any(OBS_DIM in d for d in dims.values()):
        coords[OBS_DIM] = np.arange(len(resolved.arrays["obs"]))
    default_dims = None if sample_dims else []
    return az.dict_to_dataset(values, coords=coords, dims=dims, default_dims=default_dims)


def from_samples(
    samples: Mapping[str, np.ndarray],
    model_fn: Callable,
    resolved,
    *,
    sample_stats: Mapping[str, np.ndarray] | None = None,
    constant_data: Mapping[str, np.ndarray] | None = None,
    floatX: str | None = None,
    log_likelihood: bool | str = True,
) -> az.InferenceData:
    """Assemble an InferenceData from posterior draws of shape (chain, draw, ...).

    Parameters
    ----------
    samples
        Site name to draws, ``(chain, draw) + site shape``.
    model_fn, resolved
        The model function and its resolved specification.
    sample_stats
        Sampler statistics, ``(chain, draw)`` each.
    constant_data
        Data columns (one value per observation).
    floatX
        Precision of the log-likelihood computation.
    log_likelihood
        ``True`` (float64), ``"float32"`` (half the memory) or ``False``.
    """
    samples = {k: np.asarray(v) for k, v in samples.items()}
    groups = {"posterior": group_dataset(samples, resolved)}
    if sample_stats:
        groups["sample_stats"] = group_dataset(sample_stats, resolved)
    if log_likelihood:
        dtype = "float64" if log_likelihood is True else log_likelihood
        latent = {
            k: v
            for k, v in samples.items()
            if k not in resolved.dims or OBS_DIM not in resolved.dims[k]
        }
        loglik = pointwise_log_likelihood(
            model_fn, latent, resolved.arrays, resolved.obs_site, floatX, dtype
        )
        groups["log_likelihood"] = group_dataset(
            {resolved.obs_site: loglik}, resolved, per_obs={resolved.obs_site: [OBS_DIM]}
        )
    obs = {resolved.obs_site: resolved.arrays["obs"]}
    groups["observed_data"] = group_dataset(
        obs, resolved, sample_dims=False, per_obs={resolved.obs_site: obs_dims(resolved)}
    )
    if constant_data:
        groups["constant_data"] = group_dataset(
            constant_data,
            resolved,
            sample_dims=False,
            per_obs={k: [OBS_DIM] for k in constant_data},
        )
    return az.InferenceData(**groups)


def to_inference_data(
    mcmc,
    model_fn: Callable,
    resolved,
    constant_data: Mapping[str, Any] | None = None,
    floatX: str | None = None,
    log_likelihood: bool | str = True,
) -> az.InferenceData:
    """The InferenceData of a NUTS run (see the module docstring for its groups)."""
    samples = mcmc.get_samples(group_by_chain=True)
    return from_samples(
        samples,
        model_fn,
        resolved,
        sample_stats=mcmc_sample_stats(mcmc),
        constant_data=constant_data,
        floatX=floatX,
        log_likelihood=log_likelihood,
    )
