"""Parameter values for new data: posterior draws of each likelihood parameter per new row.

Common terms are evaluated on the new rows with the training data's
encoding (formulae's ``evaluate_new_data``: same categorical levels and
stateful transforms). Group-specific terms use the fitted effect of a level
seen in training; a level never seen gets a fresh effect per posterior draw,
drawn from the group distribution with that draw's hyperparameters (e.g.
``Normal(0, sigma)``): the prediction for a new participant.

Examples
--------
>>> import hierax as hx, pandas as pd
>>> df = pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0], "x": [0.0, 1.0, 2.0, 3.0]})
>>> m = hx.Model(df, model="normal", response="y",
...              include=[{"name": "mu", "formula": "mu ~ 1 + x"}])
>>> _ = m.sample(draws=30, tune=30, chains=1, seed=0, progress=False, diagnose=False)
>>> pred = m.predict(pd.DataFrame({"x": [10.0, 20.0]}))
>>> pred["mu"].dims
('chain', 'draw', '__obs__')
"""

from __future__ import annotations

import warnings
from typing import Any

import formulae
import jax
import numpy as np
import pandas as pd
import xarray as xr

from hierax._config import precision
from hierax.build import GroupPlan, ParamPlan
from hierax.inference.nuts import resolve_seed
from hierax.results.idata import OBS_DIM

__all__ = ["predict_params"]


def _matrices(param: str, rhs: str, data: pd.DataFrame):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        try:
            return formulae.design_matrices(rhs, data, na_action="error")
        except Exception as err:
            raise ValueError(f"Cannot evaluate '{param} ~ {rhs}' on the new data: {err}") from None


def _check_columns(param: str, rhs: str, new_data: pd.DataFrame) -> None:
    from hierax.design import formula_columns

    missing = sorted(c for c in formula_columns(rhs)[0] if c not in new_data.columns)
    if missing:
        raise ValueError(
            f"The new data lacks column {missing[0]!r}, used in '{param} ~ {rhs}'. "
            f"Its columns are: {', '.join(map(str, new_data.columns))}."
        )


def _common_matrix(param: str, rhs: str, train_dm, new_data: pd.DataFrame, width: int):
    if train_dm.common is None:
        return np.zeros((len(new_data), 0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        try:
            X = np.asarray(train_dm.common.evaluate_new_data(new_data).design_matrix, dtype=float)
        except Exception as err:
            raise ValueError(
                f"Cannot evaluate the common terms of '{param} ~ {rhs}' on the new data "
                f"(a categorical level not seen in training?): {err}"
            ) from None
    if X.shape[1] != width:
        raise ValueError(
            f"The design of '{param} ~ {rhs}' on the new data has {X.shape[1]} "
            f"columns, {width} in training."
        )
    return X


def _group_arrays(param, rhs, plan: GroupPlan, train_dm, data, new_data):
    """Index into the training levels (-1 for unseen), unseen labels and expression values."""
    combined = pd.concat([data, new_data], ignore_index=True, join="inner")
    term = _matrices(param, rhs, combined).group.terms[plan.site[len(param) + 1 :]]
    trained = {str(label): i for i, label in enumerate(train_dm.group.terms[term.name].groups)}
    labels = np.asarray([str(g) for g in term.groups])
    codes = np.asarray(term.factor.data).argmax(axis=1)[len(data) :]
    new_labels = labels[codes]
    index = np.array([trained.get(label, -1) for label in new_labels])
    values = np.asarray(term.expr.data, dtype=float)
    values = (values[:, None] if values.ndim == 1 else values)[len(data) :]
    width = 1 if plan.expr_labels is None else len(plan.expr_labels)
    if values.shape[1] != width:
        raise ValueError(
            f"The term '{term.name}' of '{param} ~ {rhs}' has {values.shape[1]} "
            f"columns on the new data, {width} in training (a new level of its "
            "expression?)."
        )
    return index, new_labels, values


def _group_coefficients(plan: GroupPlan, posterior, index, new_labels, key, shape):
    """Coefficients (chain, draw, levels[, k]) with fresh draws appended for unseen levels."""
    unseen = list(dict.fromkeys(new_labels[index < 0]))
    if plan.site in posterior:
        coef = posterior[plan.site].to_numpy()
    else:  # a fixed number
        coef = np.full(shape + plan.shape, float(plan.prior))
    if unseen:
        per_level = (len(unseen),) + plan.shape[1:]
        if hasattr(plan.prior, "distribution"):
            hyper = {
                k: jax.numpy.asarray(posterior[f"{plan.site}_{k}"].to_numpy())
                for k in plan.prior.hyperpriors
            }
            d = plan.prior.distribution(hyper)
            sample_shape = per_level if d.batch_shape else per_level + shape
            fresh = np.asarray(d.sample(key, sample_shape))
            fresh = np.broadcast_to(fresh, per_level + shape)
            fresh = np.moveaxis(fresh, (-2, -1), (0, 1))
        else:
            fresh = np.full(shape + per_level, float(plan.prior))
        coef = np.concatenate([coef, fresh], axis=2)
        position = {label: plan.n_groups + j for j, label in enumerate(unseen)}
        index = np.where(index < 0, [position.get(label, -1) for label in new_labels], index)
    return coef, index


def _regression(plan: ParamPlan, resolved, data, new_data, posterior, key, shape):
    design = resolved.designs[plan.name]
    _check_columns(plan.name, design.rhs, new_data)
    train_dm = _matrices(plan.name, design.rhs, data)
    X = _common_matrix(plan.name, design.rhs, train_dm, new_data, design.X.shape[1])
    eta = np.zeros(shape + (len(new_data),))
    if plan.common:
        coefs = [np.reshape(_common_value(c, posterior, shape), shape + (-1,)) for c in plan.common]
        eta = eta + np.einsum("cdk,nk->cdn", np.concatenate(coefs, axis=-1), X)
    for i, g in enumerate(plan.group):
        index, labels, values = _group_arrays(plan.name, design.rhs, g, train_dm, data, new_data)
        coef, index = _group_coefficients(
            g, posterior, index, labels, jax.random.fold_in(key, i), shape
        )
        per_obs = coef[:, :, index]
        per_obs = per_obs if per_obs.ndim == 4 else per_obs[..., None]
        eta = eta + np.sum(per_obs * values, axis=-1)
    with precision("float64"):
        return np.asarray(plan.link.inverse(jax.numpy.asarray(eta)))


def _common_value(term, posterior, shape) -> np.ndarray:
    if term.site in posterior:
        return posterior[term.site].to_numpy()
    width = () if term.labels is None else (len(term.labels),)
    return np.full(shape + width, float(term.prior))


def predict_params(
    resolved,
    data: pd.DataFrame,
    new_data: pd.DataFrame,
    posterior: xr.Dataset,
    seed: int | None = None,
) -> xr.Dataset:
    """Posterior draws of every likelihood parameter (and ``p_outlier``) for each new row.

    Parameters
    ----------
    resolved
        The model's resolved specification.
    data
        The training data (for the formulas' encodings and group levels).
    new_data
        The rows to predict for; needs the columns the formulas use.
    posterior
        The posterior group of a fit.
    seed
        Seed for the effects of group levels never seen in training.

    Returns
    -------
    xarray.Dataset
        One variable per parameter, dims ``(chain, draw, __obs__)``.
    """
    if not isinstance(new_data, pd.DataFrame):
        raise TypeError(f"new_data must be a pandas DataFrame, got {type(new_data).__name__}.")
    if len(new_data) == 0:
        raise ValueError("new_data has no rows.")
    new_data = new_data.reset_index(drop=True)
    shape = (posterior.sizes["chain"], posterior.sizes["draw"])
    key = jax.random.PRNGKey(resolve_seed(seed))
    out: dict[str, Any] = {}
    for i, plan in enumerate(resolved.plans):
        if plan.kind == "fixed":
            value = np.full(shape + (len(new_data),), float(plan.value))
        elif plan.kind == "free":
            value = np.broadcast_to(
                posterior[plan.name].to_numpy()[..., None], shape + (len(new_data),)
            )
        else:
            value = _regression(
                plan, resolved, data, new_data, posterior, jax.random.fold_in(key, i), shape
            )
        out[plan.name] = (("chain", "draw", OBS_DIM), np.asarray(value))
    coords = {
        "chain": posterior["chain"].values,
        "draw": posterior["draw"].values,
        OBS_DIM: np.arange(len(new_data)),
    }
    return xr.Dataset(out, coords=coords)
