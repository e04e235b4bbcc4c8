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


def chain_draws(model, **kwargs):
    args = {"draws": 15, "tune": 15, "chains": 2, "seed": 5, "diagnose": False}
    idata = model.sample(**args, log_likelihood=False, **kwargs)
    return idata.posterior["mu_Intercept"].values


def test_sequential_chains_in_one_program_match_numpyros_chain_loop(normal_model):
    # Without a progress bar the chains run inside one compiled program (lax.map);
    # with one, NumPyro's Python loop compiles the sampler once per chain. Same keys,
    # same start: the same draws up to floating-point rounding of the two programs.
    one_program = chain_draws(normal_model, chain_method="sequential", progress=False)
    chain_loop = chain_draws(normal_model, chain_method="sequential", progress=True)
    assert one_program.shape == (2, 15)
    assert not np.array_equal(one_program[0], one_program[1])
    np.testing.assert_allclose(one_program, chain_loop, rtol=1e-9)


def test_parallel_chains_match_sequential_chains(normal_model):
    assert hx.device_count() >= 2  # import hierax asks JAX for >= 4 CPU devices
    parallel = chain_draws(normal_model, chain_method="parallel", progress=False)
    sequential = chain_draws(normal_model, chain_method="sequential", progress=False)
    np.testing.assert_allclose(parallel, sequential, rtol=1e-9)


def test_compiled_initial_search_starts_at_the_given_values(normal_model):
    # hierax's NUTS runs NumPyro's search for valid initial values with a batch of one
    # key (one compiled program); the state it returns must be unbatched and start at
    # init_to_value's values.
    import jax
    from numpyro.infer import init_to_value

    values = {"mu_Intercept": 1.5, "mu_1|g_sigma": 0.7, "sigma": 1.2}
    kernel = nuts._NUTS(normal_model.model_fn, init_strategy=init_to_value(values=values))
    state = kernel.init(jax.random.PRNGKey(0), 5, model_args=(normal_model.resolved.arrays,))
    constrained = kernel.postprocess_fn((normal_model.resolved.arrays,), {})(state.z)
    assert np.shape(state.z["mu_Intercept"]) == ()
    assert float(constrained["mu_Intercept"]) == pytest.approx(1.5)
    assert float(constrained["sigma"]) == pytest.approx(1.2)
    assert np.isfinite(float(state.potential_energy))


PARALLEL_WITH_PROGRESS_BAR = """
import numpy as np, pandas as pd, hierax as hx
df = pd.DataFrame({"y": np.random.default_rng(0).normal(2.0, 1.0, 40)})
m = hx.Model(df, model="normal", response="y")
idata = m.sample(draws=20, tune=20, chains=2, seed=1, progress=True, diagnose=False,
                 chain_method="parallel", floatX="float64")
print(idata.posterior["mu"].shape)
"""


def test_parallel_chains_with_progress_bars_in_float64():
    # NumPyro's progress bars for parallel chains are host callbacks, run in threads that
    # do not see a thread-local enable_x64; without 64 bits process-wide for the run they
    # return int32 where int64 was traced and the fit fails. A fresh interpreter, since
    # this test session enables 64 bits globally (conftest.py), which hides the failure.
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", PARALLEL_WITH_PROGRESS_BAR], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("(2, 20)")
