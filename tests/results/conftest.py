"""A small simulated DDM data set with a covariate, and fits shared by the results tests."""

import warnings

import jax
import numpy as np
import pandas as pd
import pytest

import hierax as hx
from hierax.simulators import sample_ddm

TRUE = {"v0": 0.3, "v_x": 0.8, "a": 1.0, "z": 0.5, "t": 0.3, "sigma": 0.3}
N_PARTICIPANTS, N_TRIALS = 3, 80


def simulate(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pid = np.repeat(np.arange(N_PARTICIPANTS), N_TRIALS)
    x = rng.normal(size=pid.size)
    u = rng.normal(scale=TRUE["sigma"], size=N_PARTICIPANTS)
    v = TRUE["v0"] + TRUE["v_x"] * x + u[pid]
    with jax.enable_x64(True):
        rt, response = sample_ddm(jax.random.PRNGKey(seed), v, TRUE["a"], TRUE["z"], TRUE["t"])
    return pd.DataFrame(
        {"rt": np.asarray(rt), "response": np.asarray(response), "x": x, "participant_id": pid}
    )


def fit(data: pd.DataFrame, formula: str) -> hx.Model:
    model = hx.Model(data, include=[{"name": "v", "formula": formula}], p_outlier=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        model.sample(draws=150, tune=150, chains=2, seed=1, progress=False)
    return model


@pytest.fixture(scope="session")
def ddm_data() -> pd.DataFrame:
    return simulate()


@pytest.fixture(scope="session")
def fitted(ddm_data) -> hx.Model:
    """v ~ 1 + x + (1|participant_id): the true model."""
    return fit(ddm_data, "v ~ 1 + x + (1|participant_id)")


@pytest.fixture(scope="session")
def fit_ddm():
    """The fitting function, for tests that need another model."""
    return fit
