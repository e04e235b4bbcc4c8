"""Save and load: spec, data and traces come back exactly; writing is atomic."""

import os

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import hierax as hx
from hierax.results import io


def test_round_trip_is_exact(fitted, tmp_path):
    path = tmp_path / "model.nc"
    fitted.save(path)
    loaded = hx.load(path)
    assert loaded.spec == fitted.spec
    pd.testing.assert_frame_equal(loaded.data, fitted.data)
    assert loaded.traces.groups() == fitted.traces.groups()
    for group in fitted.traces.groups():
        xr.testing.assert_identical(getattr(loaded.traces, group), getattr(fitted.traces, group))
    assert os.listdir(tmp_path) == ["model.nc"]


def test_spec_with_priors_params_links_and_odd_data(tmp_path):
    df = pd.DataFrame(
        {
            "y": [1.0, 2.5, 3.0, 2.0],
            "g": pd.Categorical(["a", "b", "a", "b"]),
            "flag": [True, False, True, True],
            "n": np.array([1, 2, 3, 4], np.int32),
            "label": ["p", "q", "r", "s"],
        },
        index=[10, 11, 12, 13],
    )
    model = hx.Model(
        df,
        model="normal",
        response="y",
        include=[
            hx.Param(
                "mu",
                formula="mu ~ 1 + C(g)",
                prior={
                    "Intercept": hx.Prior("Normal", mu=0.0, sigma=hx.Prior("HalfNormal", sigma=2.0))
                },
            ),
            {"name": "sigma", "prior": {"name": "HalfNormal", "sigma": 1.5}},
        ],
    )
    path = tmp_path / "m.nc"
    model.save(path)
    loaded = hx.load(path)
    assert loaded.spec == model.spec and loaded.traces is None
    pd.testing.assert_frame_equal(loaded.data, df)
    assert str(loaded) == str(model)
    spec = {
        "p_outlier": hx.Param("p_outlier", formula="p_outlier ~ 1", link=hx.Link("logit")),
        "choices": (0, 1),
        "bounds": (0.1, float("inf")),
    }
    assert io.decode_spec(io.encode_spec(spec)) == spec


def test_failed_write_leaves_the_old_file(fitted, tmp_path, monkeypatch):
    path = tmp_path / "model.nc"
    path.write_bytes(b"old")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", broken)
    with pytest.raises(OSError, match="disk full"):
        fitted.save(path)
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["model.nc"]


def test_load_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="No saved model"):
        hx.load(tmp_path / "missing.nc")
    xr.Dataset({"a": ("x", [1.0])}).to_netcdf(
        tmp_path / "plain.nc", engine="h5netcdf", group="posterior"
    )
    with pytest.raises(ValueError, match="holds no hierax model"):
        hx.load(tmp_path / "plain.nc")
