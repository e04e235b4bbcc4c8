"""``hx.simulate_data``: a data set drawn from any family at given parameter values.

Examples
--------
>>> data = simulate_data("ddm", {"v": 1.0, "a": 1.0, "z": 0.5, "t": 0.3}, size=6, seed=1)
>>> list(data.columns), len(data)
(['rt', 'response'], 6)
>>> theta = {"v": 1.0, "a": 1.0, "z": 0.5, "t": 0.3, "sv": 0.2}
>>> sorted(set(simulate_data("ddm_sdv", theta, size=200, seed=0)["response"]))
[-1.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from hierax._config import precision
from hierax.families import Family, get_family
from hierax.parameters import check_rules, parameter_values

__all__ = ["simulate_data"]


@partial(jax.jit, static_argnums=(0, 2))
def _draw(family: Family, key: jax.Array, shape: tuple[int, ...], params: dict) -> jax.Array:
    return family.draw(key, shape, None, params)


def _theta_by_name(family: Family, theta: Any) -> Mapping[str, ArrayLike]:
    """HSSM's forms of ``theta``: a mapping, a DataFrame (one column per parameter), or
    values in the model's parameter order (a list, a 1-d array, or an ``(n, k)`` array
    of per-trial rows); trailing parameters with a default may be left out."""
    if isinstance(theta, pd.DataFrame):
        return {str(k): theta[k].to_numpy() for k in theta.columns}
    if isinstance(theta, Mapping):
        return theta
    values = np.asarray(theta, dtype=float)
    names = family.param_names
    if values.ndim not in (1, 2) or not 0 < values.shape[-1] <= len(names):
        raise ValueError(
            f"theta in list form gives one value per parameter of {family.name!r} in its "
            f"order ({', '.join(names)}); got shape {values.shape}. Or pass a dict."
        )
    return {name: values[..., i] for i, name in enumerate(names[: values.shape[-1]])}


def simulate_data(
    model: str | Family,
    theta: Mapping[str, ArrayLike] | pd.DataFrame | ArrayLike,
    size: int | None = None,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Simulate a data set from a model: exact draws of its observations.

    Parameters
    ----------
    model
        A family name (``"ddm"``, ``"full_ddm"``, a
        registered user family, ...) or a :class:`~hierax.families.Family`.
    theta
        One value per parameter of the model, each a scalar or a 1-d array of
        per-trial values; all arrays must have the same length ``n``.
        Parameters with a default (the LBA's ``t`` and ``s``) may be left out.
        HSSM's forms work too: a DataFrame with one column per parameter, or the
        values in the model's parameter order (``[0.5, 1.0, 0.5, 0.3]`` for the
        DDM's v, a, z, t; an ``(n, k)`` array for per-trial rows).
    size
        Number of draws. With scalar parameters: the number of trials
        (``None`` means 1). With arrays of length ``n``: the number of draws
        *per array row*, giving ``n * size`` rows in row order (row 0's draws
        first); ``None`` means one draw per row.
    seed
        Seed of the JAX random key; the same seed gives the same data.
        ``None`` draws a fresh seed from the operating system.

    Returns
    -------
    pandas.DataFrame
        The family's response columns: ``rt`` (seconds) and ``response`` (the
        family's codes: 1/-1 for the DDM, 0..n-1 for the LBA) for models of rt
        and choice, ``response`` for choice-only models. Computed in the working
        precision of :func:`hierax.get_floatX` and returned as float64.

    Raises
    ------
    ValueError
        For an unknown model or one without a simulator, missing or unknown
        parameters, values outside their bounds or not finite, a failed rule
        between parameters (``b > A``), arrays of different lengths, or a size
        that is not a positive integer.

    Examples
    --------
    Per-trial parameters, two draws each:

    >>> theta = {"v": [-1.0, 0.0, 1.0], "a": 1.0, "z": 0.5, "t": 0.2, "sv": 0.5}
    >>> len(simulate_data("ddm_sdv", theta, size=2))
    6
    """
    family = get_family(model)
    if not family.has_simulator:
        raise ValueError(f"Model {family.name!r} has no simulator; register it with one.")
    if family.kind == "generic" and len(family.response) > 1:
        raise ValueError(
            f"simulate_data cannot simulate {family.name!r}: its draws depend on observed "
            f"columns ({', '.join(family.response[1:])}). Use model.sample_prior_predictive()."
        )
    columns, n_rows = parameter_values(family, _theta_by_name(family, theta))
    check_rules(family, columns, inclusive=True)
    if size is not None and (
        isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 1
    ):
        raise ValueError(f"size must be a positive integer or None, got {size!r}.")
    per_row = 1 if size is None else int(size)
    n_draws = n_rows * per_row
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    with precision() as dtype:
        # Every parameter as an array of n_draws values, so that every layout of the
        # parameters (scalars or per-trial) shares one compiled sampler per size.
        params = {
            name: jnp.broadcast_to(
                jnp.asarray(np.repeat(value, per_row) if value.ndim else value, dtype), (n_draws,)
            )
            for name, value in columns.items()
        }
        draws = np.asarray(_draw(family, jax.random.key(seed), (n_draws,), params), np.float64)
    if family.kind == "rt_choice":
        return pd.DataFrame({"rt": draws[:, 0], "response": draws[:, 1]})
    return pd.DataFrame({family.response[0]: draws})
