"""NUTS sampling of a hierax model with NumPyro.

Chains run ``"parallel"`` (one chain per device: the CPU devices hierax asks JAX
for at import, see :mod:`hierax.inference.devices`, or several GPUs),
``"vectorized"`` (all chains in one program, best on a single GPU) or
``"sequential"``. :func:`default_chain_method` picks the fastest available; see
``benchmarks/chains.py`` for the measurements behind it.

Two things keep the start of a fit short (docs/performance.md): NumPyro's search for
valid initial values runs as one compiled program rather than primitive by primitive
(:class:`_NUTS`: 8 s -> about 1 s on the cavanagh_theta hierarchical DDM), and
sequential chains without a progress bar run as one program (:func:`_chains_in_one_program`)
instead of compiling the sampler once per chain.

Examples
--------
>>> import hierax as hx, pandas as pd
>>> df = pd.DataFrame({"y": [10.0, 12, 9, 11, 8], "g": [0, 0, 1, 1, 2]})
>>> m = hx.Model(df, model="normal", response="y")
>>> idata = m.sample(draws=50, tune=50, chains=1, seed=0, progress=False, diagnose=False)
>>> sorted(idata.posterior.data_vars)
['mu', 'sigma']
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import jax
import numpy as np
from numpyro.infer import MCMC, NUTS, init_to_value
from numpyro.util import is_prng_key, not_jax_tracer

from hierax._config import precision, precision_in_all_threads
from hierax.inference.initial import check_initial_values, initial_values, validate_initvals
from hierax.parameterisation import Parameterisation
from hierax.parameterisation import parameterisation as default_parameterisation

__all__ = ["CHAIN_METHODS", "EXTRA_FIELDS", "default_chain_method", "run_nuts", "show_progress"]

# Tree depth during warm-up and during sampling. Early warm-up, before the step
# size and mass matrix adapt, otherwise spends most of its leapfrog steps on
# depth-10 trees (1023 steps each); capping warm-up at 7 cut the CPU time of the
# cavanagh benchmark by ~45% with no divergences (docs/performance.md).
WARMUP_AND_SAMPLING_TREE_DEPTH = (7, 10)

CHAIN_METHODS = ("parallel", "sequential", "vectorized")
# Per-draw sampler statistics kept for the sample_stats group.
EXTRA_FIELDS = (
    "diverging",
    "num_steps",
    "energy",
    "accept_prob",
    "adapt_state.step_size",
    "potential_energy",
)


class _NUTS(NUTS):
    """NUTS whose search for valid initial values is compiled, not run op by op.

    With one (concrete) random key NumPyro evaluates the model and its gradient eagerly
    to find valid initial values, compiling each of a few hundred primitives on first
    use. With a batch of keys it runs the same search as one compiled loop; a batch of
    one key gives the same result.
    """

    def _init_state(self, rng_key, model_args, model_kwargs, init_params):
        if self._model is None or not is_prng_key(rng_key) or not not_jax_tracer(rng_key):
            return super()._init_state(rng_key, model_args, model_kwargs, init_params)
        params = super()._init_state(rng_key[None], model_args, model_kwargs, init_params)
        return params if init_params is not None else jax.tree.map(lambda x: x[0], params)


def _chains_in_one_program(run_chain: Callable) -> Callable:
    """Run chains one after the other inside one compiled program (NumPyro chain method)."""
    return jax.jit(lambda per_chain: jax.lax.map(run_chain, per_chain))


def default_chain_method(chains: int) -> str:
    """The fastest way to run ``chains`` chains on this machine.

    ``"parallel"`` when JAX has at least one device per chain (several GPUs,
    or CPU devices from :func:`hierax.set_host_device_count`);
    ``"vectorized"`` on a single GPU; ``"sequential"`` on a single CPU
    device (vectorised NUTS on a CPU runs every chain until the longest
    trajectory of any chain ends, so it is slower than one chain after the
    other; see ``benchmarks/chains.py``).

    Examples
    --------
    >>> default_chain_method(1)
    'sequential'
    """
    if chains > 1 and jax.local_device_count() >= chains:
        return "parallel"
    if chains > 1 and jax.default_backend() == "gpu":
        return "vectorized"
    return "sequential"


def show_progress(progress: bool | None) -> bool:
    """Progress bars by default in an interactive terminal, never under CI (``CI=true``).

    Examples
    --------
    >>> show_progress(False)
    False
    """
    if progress is not None:
        return bool(progress)
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        return False
    return sys.stderr.isatty()


def resolve_seed(seed: int | None) -> int:
    """The given seed, or a fresh one drawn from the operating system."""
    if seed is None:
        return int(np.random.SeedSequence().entropy % (2**31))
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an integer or None, got {seed!r}.")
    return int(seed)


def start_values(
    model_fn: Callable,
    resolved,
    initvals: dict[str, Any] | None,
    floatX: str | None,
    reparam: Parameterisation | None = None,
) -> dict[str, Any]:
    """Initial values of the sites ``reparam`` samples (default: the Model's choice,
    as NUTS uses): hierax's defaults updated with the user's (validated), checked for
    zero density."""
    parameterisation = reparam or default_parameterisation(resolved)
    values = initial_values(resolved)
    with precision(floatX):
        user = validate_initvals(model_fn, resolved.arrays, initvals or {}, parameterisation)
        sampled = {k: v for k, v in user.items() if k not in values}
        values = parameterisation.latent_values({**values, **user})
        values.update(sampled)
        check_initial_values(model_fn, resolved, values, floatX, parameterisation)
    return values


def run_nuts(
    model_fn: Callable,
    resolved,
    *,
    draws: int,
    tune: int,
    chains: int,
    seed: int | None,
    chain_method: str | None = None,
    progress: bool | None = None,
    initvals: dict[str, Any] | None = None,
    floatX: str | None = None,
    **nuts_kwargs: Any,
) -> MCMC:
    """Run NUTS and return the NumPyro ``MCMC`` object (samples and sampler statistics).

    Parameters are those of :meth:`hierax.Model.sample`.
    """
    for name, value in (("draws", draws), ("tune", tune), ("chains", chains)):
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, np.integer))
            or value < (0 if name == "tune" else 1)
        ):
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    chain_method = chain_method or default_chain_method(chains)
    if chain_method not in CHAIN_METHODS:
        raise ValueError(f"chain_method must be one of {CHAIN_METHODS}, got {chain_method!r}.")
    reparam = default_parameterisation(resolved)
    values = start_values(model_fn, resolved, initvals, floatX, reparam)
    nuts_kwargs.setdefault("target_accept_prob", 0.8)
    nuts_kwargs.setdefault("max_tree_depth", WARMUP_AND_SAMPLING_TREE_DEPTH)
    kernel = _NUTS(
        reparam.apply(model_fn), init_strategy=init_to_value(values=values), **nuts_kwargs
    )
    progress_bar = show_progress(progress)
    numpyro_method: str | Callable = chain_method
    if chain_method == "sequential" and chains > 1 and not progress_bar:
        numpyro_method = _chains_in_one_program  # compiled once, not once per chain
    mcmc = MCMC(
        kernel,
        num_warmup=tune,
        num_samples=draws,
        num_chains=chains,
        chain_method=numpyro_method,
        progress_bar=progress_bar,
    )
    with precision_in_all_threads(floatX):  # progress-bar callbacks run in other threads
        device_arrays = {k: jax.numpy.asarray(v) for k, v in resolved.arrays.items()}
        mcmc.run(jax.random.PRNGKey(resolve_seed(seed)), device_arrays, extra_fields=EXTRA_FIELDS)
        jax.effects_barrier()  # the last progress-bar callbacks, before precision is restored
    return mcmc
