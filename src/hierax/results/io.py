"""Save a Model (specification, data and last fit) to one netCDF file, and load it back.

The file holds the InferenceData groups of ``model.traces`` (as written by
ArviZ) plus a group ``hierax`` with the data columns (one variable per
column, with the pandas dtype in its attributes) and the specification as
JSON in the group's attributes. Priors, Params and Links are stored in a
tagged form (``{"__prior__": ...}``) and rebuilt exactly. Writing goes to a
temporary file in the same directory, moved into place with
:func:`os.replace`, so an interrupted save never leaves a half-written file.

Examples
--------
>>> import os, tempfile, hierax as hx, pandas as pd
>>> df = pd.DataFrame({"y": [1.0, 2.0, 3.0], "g": ["a", "b", "a"]})
>>> m = hx.Model(df, model="normal", response="y",
...              include=[{"name": "mu", "formula": "mu ~ 1 + C(g)"}])
>>> path = os.path.join(tempfile.mkdtemp(), "model.nc")
>>> m.save(path)
>>> m2 = hx.load(path)
>>> m2.data.equals(df), m2.spec == m.spec
(True, True)
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import arviz as az
import numpy as np
import pandas as pd
import xarray as xr

from hierax.spec.link import Link
from hierax.spec.param import Param
from hierax.spec.prior import Prior, as_prior

__all__ = ["FORMAT_VERSION", "decode_spec", "encode_spec", "load_model", "save_model"]

FORMAT_VERSION = 1
HIERAX_GROUP = "hierax"
ENGINE = "h5netcdf"
_ROW = "__row__"


# --- specification <-> JSON ---------------------------------------------------------------


def _encode(value: Any) -> Any:
    from hierax.resolve import _DEFAULT

    if value is _DEFAULT:
        return {"__default__": True}
    if isinstance(value, Prior):
        return {"__prior__": value.to_dict()}
    if isinstance(value, Link):
        return {"__link__": {"name": value.name, "bounds": list(value.bounds)}}
    if isinstance(value, Param):
        fields = ("name", "formula", "prior", "link", "bounds", "centered")
        return {"__param__": {f: _encode(getattr(value, f)) for f in fields}}
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) for k in value):
            raise TypeError(f"Cannot save a specification dict with non-string keys: {value!r}.")
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(f"Cannot save a specification value of type {type(value).__name__}: {value!r}.")


def _decode(value: Any) -> Any:
    from hierax.resolve import _DEFAULT

    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__default__" in value:
        return _DEFAULT
    if "__prior__" in value:
        return as_prior(value["__prior__"])
    if "__link__" in value:
        return Link(value["__link__"]["name"], bounds=tuple(value["__link__"]["bounds"]))
    if "__tuple__" in value:
        return tuple(_decode(v) for v in value["__tuple__"])
    if "__param__" in value:
        return Param(**{k: _decode(v) for k, v in value["__param__"].items()})
    return {k: _decode(v) for k, v in value.items()}


def encode_spec(spec: Mapping[str, Any]) -> str:
    """The Model's specification as a JSON string (see :func:`decode_spec`)."""
    return json.dumps(_encode(dict(spec)))


def decode_spec(text: str) -> dict[str, Any]:
    """The specification dict back from :func:`encode_spec`'s JSON."""
    return _decode(json.loads(text))


# --- data frame <-> Dataset ---------------------------------------------------------------


def _column_variable(name: Any, series: pd.Series) -> xr.Variable:
    attrs: dict[str, Any] = {"pandas_dtype": str(series.dtype)}
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = series.cat.categories
        attrs["categories"] = json.dumps(_encode(categories.tolist()))
        attrs["ordered"] = int(series.cat.ordered)
        return xr.Variable(_ROW, series.cat.codes.to_numpy(), attrs=attrs)
    values = series.to_numpy()
    if values.dtype == object:
        if not all(isinstance(v, str) for v in values):
            raise TypeError(
                f"Cannot save column {name!r}: it mixes types ({series.map(type).unique()}). "
                "Convert it to str or to a number first."
            )
        values = values.astype(str)
    return xr.Variable(_ROW, values, attrs=attrs)


def _column_values(var: xr.Variable) -> pd.Series | np.ndarray:
    dtype = var.attrs["pandas_dtype"]
    values = var.values
    if dtype == "category":
        categories = _decode(json.loads(var.attrs["categories"]))
        return pd.Categorical.from_codes(
            values, categories=categories, ordered=bool(var.attrs["ordered"])
        )
    if dtype == "object":
        return values.astype(object)
    return pd.array(values, dtype=dtype) if dtype not in (str(values.dtype),) else values


def _data_dataset(data: pd.DataFrame, spec_json: str) -> xr.Dataset:
    names = list(data.columns)
    variables = {f"column_{i}": _column_variable(n, data[n]) for i, n in enumerate(names)}
    index = data.index
    attrs = {
        "spec": spec_json,
        "columns": json.dumps(_encode(names)),
        "format_version": FORMAT_VERSION,
    }
    if not (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1):
        variables["index"] = _column_variable(index.name, index.to_series())
        attrs["index_name"] = json.dumps(_encode(index.name))
    from hierax import __version__

    attrs["hierax_version"] = __version__
    return xr.Dataset(variables, attrs=attrs)


def _data_frame(ds: xr.Dataset) -> pd.DataFrame:
    names = _decode(json.loads(ds.attrs["columns"]))
    columns = {i: _column_values(ds[f"column_{i}"].variable) for i in range(len(names))}
    frame = pd.DataFrame(columns)
    frame.columns = pd.Index(names) if names else frame.columns
    if "index" in ds:
        index = pd.Index(_column_values(ds["index"].variable))
        index.name = _decode(json.loads(ds.attrs["index_name"]))
        frame.index = index
    return frame


# --- files ----------------------------------------------------------------------------


def family_fingerprint(family) -> str:
    """What identifies a family in a saved file: name, kind, choices, parameters and bounds."""
    table = [[p.name, list(p.bounds), p.default] for p in family.params]
    return json.dumps(
        {"name": family.name, "kind": family.kind, "choices": family.choices, "params": table}
    )


def _check_fingerprint(name: str, stored: str | None) -> None:
    from hierax.families import get_family

    try:
        family = get_family(name)
    except ValueError:
        raise ValueError(
            f"The saved model uses the family {name!r}, which is not registered in this "
            "session; register it (hx.register_family) before hx.load."
        ) from None
    if stored is not None and json.loads(stored) != json.loads(family_fingerprint(family)):
        raise ValueError(
            f"The family registered as {name!r} differs from the saved one (parameters, "
            f"bounds or choices): saved {stored}, registered {family_fingerprint(family)}."
        )


def save_model(model, path: str | os.PathLike) -> None:
    """Write ``model`` (spec, data, ``model.traces``) to the netCDF file ``path``, atomically."""
    from hierax.families import get_family, is_builtin

    path = Path(path)
    name = model.spec["model"]
    try:
        registered = get_family(name)
    except ValueError:
        raise ValueError(
            f"Model family {name!r} is not registered, so a saved model could not be rebuilt; "
            "register it first with hx.register_family (and again before hx.load)."
        ) from None
    if not is_builtin(registered) and registered != model.family:
        raise ValueError(
            f"The family registered as {name!r} is not the one this model uses; register "
            "this model's family (hx.register_family(model.family, overwrite=True)) to save it."
        )
    dataset = _data_dataset(model.data, encode_spec(model.spec))
    dataset.attrs["family"] = family_fingerprint(registered)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise FileNotFoundError(
            f"Cannot save to {str(path)!r}: directory {str(directory)!r} does not exist."
        )
    handle, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        if model.traces is not None:
            model.traces.to_netcdf(tmp, engine=ENGINE)
            mode = "a"
        else:
            mode = "w"
        dataset.to_netcdf(tmp, engine=ENGINE, group=HIERAX_GROUP, mode=mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def load_model(path: str | os.PathLike):
    """The Model saved at ``path`` by :meth:`hierax.Model.save`, with its traces."""
    import h5netcdf

    from hierax.model import Model

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No saved model at {str(path)!r}.")
    try:
        with h5netcdf.File(path, "r") as handle:
            names = list(handle.groups)
    except OSError as err:
        raise ValueError(
            f"{str(path)!r} is not a netCDF file written by Model.save: {err}"
        ) from None
    if HIERAX_GROUP not in names:
        raise ValueError(
            f"{str(path)!r} holds no hierax model (no {HIERAX_GROUP!r} group); "
            "for a plain InferenceData use arviz.from_netcdf."
        )
    groups = {}
    for name in names:
        with xr.open_dataset(path, engine=ENGINE, group=name) as ds:
            groups[name] = ds.load()
    stored = groups.pop(HIERAX_GROUP)
    spec = decode_spec(stored.attrs["spec"])
    data = _data_frame(stored)
    family = spec.pop("model")
    _check_fingerprint(family, stored.attrs.get("family"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        model = Model(data, model=family, **spec)
        model.traces = az.InferenceData(**groups) if groups else None
    return model
