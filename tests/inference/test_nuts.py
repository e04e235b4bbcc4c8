"""NUTS: reproducibility, chain methods, progress, argument checks."""

import numpy as np
import pandas as pd
import pytest

import hierax as hx
from hierax.inference import nuts


@pytest.fixture(scope="module")
def normal_model():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"y": rng.normal(2.0, 1.0, 40), "g": np.repeat(["a", "b", "c", "d"], 10)})
    return hx.Model(
        df, model="normal", response="y", include=[{"name": "mu", "formula": "mu ~ 1 + (1|g)"}]
    )


def draws(model, seed, **kwargs):
    idata = model.sample(
        draws=20,
        tune=20,
        chains=1,
        seed=seed,
        progress=False,
        diagnose=False,
        chain_method="sequential",
        log_likelihood=False,
        **kwargs,
    )
    return idata.posterior


def test_same_seed_gives_identical_draws(normal_model):
    first, second = draws(normal_model, 3), draws(normal_model, 3)
    for name in first.data_vars:
        np.testing.assert_array_equal(first[name].values, second[name].values)
    other = draws(normal_model, 4)
    assert not np.array_equal(first["mu_Intercept"].values, other["mu_Intercept"].values)
    assert normal_model.traces.posterior is other
    assert list(other["g"].values) == ["a", "b", "c", "d"]


def test_default_chain_method(monkeypatch):
    monkeypatch.setattr(nuts.jax, "local_device_count", lambda: 4)
    assert nuts.default_chain_method(4) == "parallel"
    monkeypatch.setattr(nuts.jax, "local_device_count", lambda: 1)
    assert nuts.default_chain_method(4) == "sequential"
    monkeypatch.setattr(nuts.jax, "default_backend", lambda: "gpu")
    assert nuts.default_chain_method(4) == "vectorized"
    assert nuts.default_chain_method(1) == "sequential"


def test_progress_off_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert nuts.show_progress(None) is False
    assert nuts.show_progress(True) is True


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"chain_method": "threads"}, "chain_method must be one of"),
        ({"draws": 0}, "draws must be a positive integer"),
        ({"seed": 1.5}, "seed must be an integer"),
    ],
)
def test_bad_arguments(normal_model, kwargs, match):
    args = {"draws": 10, "tune": 10, "chains": 1, "seed": 0, "progress": False, **kwargs}
    with pytest.raises((ValueError, TypeError), match=match):
        normal_model.sample(**args)


def test_set_host_device_count_refuses_once_arrays_exist():
    import jax.numpy as jnp

    keep = jnp.ones(2)  # noqa: F841 - an array alive on the current devices
    with pytest.raises(RuntimeError, match="set_host_device_count"):
        hx.set_host_device_count(hx.device_count() + 1)
    with pytest.raises(ValueError, match="positive integer"):
        hx.set_host_device_count(0)
