"""Exact simulation of the drift diffusion model and its variability variants.

Parameterisation (HSSM's, inherited from HDDM)
----------------------------------------------
A Wiener process with drift ``v`` (positive towards the upper boundary) and unit
diffusion coefficient starts at ``2a * z`` and is absorbed at ``0`` (response
``-1``) or at ``2a`` (response ``1``): ``a`` is *half* the boundary separation
and ``z`` the relative start point in ``(0, 1)``. The response time is
``rt = t + decision time``. ``ddm_sdv`` draws the drift of every trial from
``Normal(v, sv)``; ``full_ddm`` additionally draws the relative start point from
``Uniform(z - sz/2, z + sz/2)`` and the non-decision time from
``Uniform(t - st/2, t + st/2)``.

Method
------
Every draw is exact up to floating-point precision; there is no time step.
Per trial the variabilities are drawn first; then the boundary, from its
closed-form probability; then the decision time, by inverting the CDF of the
first-passage time conditional on that boundary, evaluated with the
small-time (Blurton, Kesselmeier & Gondan, 2012) and large-time (Navarro &
Fuss, 2009) series. :mod:`hierax.simulators._first_passage` has the formulas,
the truncation bounds and the convergence of the inversion.

Why inversion rather than Euler steps or rejection: an Euler scheme is biased
at the boundaries (it misses crossings between steps); an exact rejection
sampler (e.g. Drugowitsch, 2016) needs a random number of proposals, which
under ``vmap`` costs every trial the worst trial's count. Inversion does the
same fixed work for every draw: one branch-free ``fori_loop`` that jits,
vectorises and runs on a GPU as on a CPU, with a fixed number of uniform
numbers per draw, so draws are reproducible from the key.

Examples
--------
>>> from hierax.simulators import simulate_data
>>> data = simulate_data("ddm", {"v": 1.0, "a": 1.0, "z": 0.5, "t": 0.3}, size=6, seed=1)
>>> list(data.columns), len(data)
(['rt', 'response'], 6)
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from hierax._config import precision
from hierax.simulators._first_passage import prob_upper, sample_conditional_time

__all__ = ["SIMULATOR_PARAMS", "sample_ddm", "simulate_data"]

SIMULATOR_PARAMS: dict[str, tuple[str, ...]] = {
    "ddm": ("v", "a", "z", "t"),
    "ddm_sdv": ("v", "a", "z", "t", "sv"),
    "full_ddm": ("v", "a", "z", "t", "sv", "sz", "st"),
}
"""Parameter names of every model :func:`simulate_data` knows, in order."""


@partial(jax.jit, static_argnames=("shape",))
def sample_ddm(
    key: jax.Array,
    v: ArrayLike,
    a: ArrayLike,
    z: ArrayLike,
    t: ArrayLike,
    sv: ArrayLike = 0.0,
    sz: ArrayLike = 0.0,
    st: ArrayLike = 0.0,
    shape: tuple[int, ...] | None = None,
) -> tuple[jax.Array, jax.Array]:
    """Draw response times and responses of the (full) drift diffusion model.

    Exact up to floating-point precision (see the module docstring for the
    parameterisation and the method). Pure JAX: jittable (``shape`` is
    static) and vmappable; the parameters are not checked, draws with
    parameters outside their domain are ``NaN``.

    Parameters
    ----------
    key
        A JAX random key.
    v
        Drift rate, real; positive values favour the upper boundary.
    a
        Half the boundary separation, ``> 0``.
    z
        Relative start point, in ``(0, 1)``.
    t
        Non-decision time, ``>= 0``.
    sv
        Standard deviation of the trial-to-trial drift, ``>= 0``.
    sz
        Width of the uniform trial-to-trial start point, ``>= 0`` with
        ``0 < z - sz/2`` and ``z + sz/2 < 1``.
    st
        Width of the uniform trial-to-trial non-decision time,
        ``0 <= st <= 2t``.
    shape
        Shape of the output; the parameters must broadcast to it. ``None``
        (default) uses the broadcast shape of the parameters.

    Returns
    -------
    rt : jax.Array
        Response times, of shape ``shape``, in the parameters' floating dtype
        (float32 or float64).
    response : jax.Array
        ``1.0`` (upper boundary) or ``-1.0`` (lower boundary), same shape and dtype.

    Examples
    --------
    >>> import jax
    >>> rt, response = sample_ddm(jax.random.key(0), 0.5, 1.0, 0.5, 0.3, shape=(3,))
    >>> rt.shape, bool((rt > 0.3).all()), set(response.tolist()) <= {-1.0, 1.0}
    ((3,), True, True)

    Per-trial parameters broadcast, and ``vmap`` maps over keys:

    >>> keys = jax.random.split(jax.random.key(1), 2)
    >>> rts, _ = jax.vmap(lambda k: sample_ddm(k, jnp.array([-1.0, 1.0]), 1.0, 0.5, 0.2))(keys)
    >>> rts.shape
    (2, 2)
    """
    params = (v, a, z, t, sv, sz, st)
    dtype = jnp.result_type(*params, float)
    if dtype not in (jnp.float32, jnp.float64):  # integers, float16, bfloat16
        dtype = jnp.promote_types(dtype, jnp.float32)
    if shape is None:
        shape = jnp.broadcast_shapes(*(jnp.shape(p) for p in params))
    v, a, z, t, sv, sz, st = (jnp.broadcast_to(jnp.asarray(p, dtype), shape) for p in params)

    k_v, k_z, k_t, k_choice, k_time = jax.random.split(key, 5)
    v_trial = v + sv * jax.random.normal(k_v, shape, dtype)
    z_trial = z + sz * (jax.random.uniform(k_z, shape, dtype) - 0.5)
    t_trial = t + st * (jax.random.uniform(k_t, shape, dtype) - 0.5)

    upper = jax.random.uniform(k_choice, shape, dtype) < prob_upper(v_trial, a, z_trial)
    separation = 2.0 * a
    m = jnp.abs(v_trial) * separation
    w = jnp.where(upper, 1.0 - z_trial, z_trial)
    # Open interval (0, 1): tiny keeps log(r) finite.
    r = jax.random.uniform(k_time, shape, dtype, minval=jnp.finfo(dtype).tiny, maxval=1.0)
    decision = separation**2 * sample_conditional_time(r, m, w)

    valid = (
        (a > 0)
        & (z - sz / 2 > 0)
        & (z + sz / 2 < 1)
        & (t - st / 2 >= 0)
        & (sv >= 0)
        & (sz >= 0)
        & (st >= 0)
        & jnp.isfinite(v + a + z + t + sv + sz + st)
    )
    rt = jnp.where(valid, t_trial + decision, jnp.nan)
    response = jnp.where(upper, 1.0, -1.0).astype(dtype)
    return rt, response


# --------------------------------------------------------------------------
# DataFrame front end
# --------------------------------------------------------------------------


def simulate_data(
    model: str,
    theta: Mapping[str, ArrayLike],
    size: int | None = None,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Simulate a data set of response times and responses.

    Parameters
    ----------
    model
        ``"ddm"``, ``"ddm_sdv"`` or ``"full_ddm"``; see :data:`SIMULATOR_PARAMS`
        for each model's parameters and the module docstring for their meaning.
    theta
        One value per parameter of the model, each a scalar or a 1-d array of
        per-trial values; all arrays must have the same length ``n``.
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
        Columns ``rt`` (seconds, float) and ``response`` (``1.0`` upper,
        ``-1.0`` lower boundary). Computed in the working precision of
        :func:`hierax.get_floatX` and returned as float64.

    Raises
    ------
    ValueError
        For an unknown model, missing or unknown parameters, values outside
        their domain or not finite, arrays of different lengths, or a size
        that is not a positive integer.

    Examples
    --------
    >>> theta = {"v": 1.0, "a": 1.5, "z": 0.5, "t": 0.3}
    >>> data = simulate_data("ddm", theta, size=6, seed=1)
    >>> data.shape, set(data["response"]) <= {-1.0, 1.0}
    ((6, 2), True)
    >>> bool(data["rt"].min() > 0.3)
    True

    Per-trial parameters, two draws each:

    >>> theta = {"v": [-1.0, 0.0, 1.0], "a": 1.0, "z": 0.5, "t": 0.2, "sv": 0.5}
    >>> len(simulate_data("ddm_sdv", theta, size=2))
    6
    """
    columns, n_rows = _validated_theta(model, theta)
    if size is not None and (
        isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 1
    ):
        raise ValueError(f"size must be a positive integer or None, got {size!r}.")
    n_draws = n_rows * (1 if size is None else int(size))
    per_row = n_draws // n_rows
    # Every parameter as an array of n_draws values (a variability absent from
    # the model is 0), so that all models and parameter layouts of one size
    # share one compiled sampler.
    params = {name: 0.0 for name in SIMULATOR_PARAMS["full_ddm"]}
    for name, value in columns.items():
        params[name] = np.repeat(value, per_row) if value.ndim else value
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])

    with precision() as dtype:
        params = {
            name: jnp.broadcast_to(jnp.asarray(value, dtype), (n_draws,))
            for name, value in params.items()
        }
        rt, response = sample_ddm(jax.random.key(seed), **params)
        rt, response = np.asarray(rt, np.float64), np.asarray(response, np.float64)
    return pd.DataFrame({"rt": rt, "response": response})


def _validated_theta(model: str, theta: Mapping[str, ArrayLike]) -> tuple[dict, int]:
    """Check ``theta`` for ``model``; return float64 arrays (scalar or 1-d) and the row count."""
    if model not in SIMULATOR_PARAMS:
        raise ValueError(f"Unknown model {model!r}; valid models are {sorted(SIMULATOR_PARAMS)}.")
    expected = SIMULATOR_PARAMS[model]
    if not isinstance(theta, Mapping):
        raise ValueError(f"theta must be a mapping from parameter names to values, got {theta!r}.")
    missing = [name for name in expected if name not in theta]
    unknown = [name for name in theta if name not in expected]
    if missing or unknown:
        raise ValueError(
            f"theta for model {model!r}: missing {missing}, unknown {unknown}; "
            f"the model's parameters are {list(expected)}."
        )

    columns: dict[str, np.ndarray] = {}
    lengths: dict[str, int] = {}
    for name in expected:
        try:
            value = np.asarray(theta[name], dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"Parameter {name!r} must be numeric, got {theta[name]!r}.") from None
        if value.ndim > 1:
            raise ValueError(
                f"Parameter {name!r} must be a scalar or a 1-d array, got shape {value.shape}."
            )
        if value.ndim == 1:
            lengths[name] = value.size
        _check_values(name, value, np.isfinite(value), "finite")
        columns[name] = value
    if len(set(lengths.values())) > 1:
        raise ValueError(f"Per-trial parameters must have the same length, got lengths {lengths}.")
    if 0 in lengths.values():
        raise ValueError(f"Per-trial parameters must not be empty, got lengths {lengths}.")

    get = columns.get
    _check_values("a", get("a"), get("a") > 0, "> 0")
    _check_values("z", get("z"), (get("z") > 0) & (get("z") < 1), "in (0, 1)")
    _check_values("t", get("t"), get("t") >= 0, ">= 0")
    for name in ("sv", "sz", "st"):
        if name in columns:
            _check_values(name, columns[name], columns[name] >= 0, ">= 0")
    if "sz" in columns:
        z, sz = np.broadcast_arrays(columns["z"], columns["sz"])
        inside = (z - sz / 2 > 0) & (z + sz / 2 < 1)
        _check_values("sz", sz, inside, "such that z - sz/2 > 0 and z + sz/2 < 1", z=z)
    if "st" in columns:
        t, st = np.broadcast_arrays(columns["t"], columns["st"])
        _check_values("st", st, st <= 2 * t, "<= 2 t (so that t - st/2 >= 0)", t=t)
    return columns, max(lengths.values(), default=1)


def _check_values(name: str, value: np.ndarray, ok: np.ndarray, rule: str, **others) -> None:
    """Raise a ValueError naming ``name`` and its first value that breaks ``rule``."""
    ok = np.broadcast_to(ok, np.shape(value))
    if ok.all():
        return
    index = np.flatnonzero(~ok)[0] if np.ndim(value) else None
    bad = value[index] if index is not None else value
    where = f" at row {index}" if index is not None else ""
    context = "".join(
        f", {key}={float(np.asarray(val).flat[index or 0])!r}" for key, val in others.items()
    )
    raise ValueError(f"Parameter {name!r} must be {rule}; got {float(bad)!r}{where}{context}.")
