"""A small DDM data set, a Model on it, and an InferenceData with a posterior-predictive group.

The InferenceData is built directly (posterior draws near the true values,
predictive data simulated from them with hierax's exact DDM sampler), so the
plot tests need no MCMC run: they check what is drawn, not how it was fitted.
"""

import arviz as az
import jax
import numpy as np
import pandas as pd
import pytest

import hierax as hx
from hierax.simulators import sample_ddm

N_PER_STIM = 60
STIMS = {"easy": 1.2, "hard": 0.3}
CHAINS, DRAWS = 2, 25


def _simulate(key, v, n):
    rt, response = sample_ddm(key, v, 1.0, 0.5, 0.3, shape=(n,))
    return np.asarray(rt), np.asarray(response)


@pytest.fixture(scope="session")
def ddm_data() -> pd.DataFrame:
    frames = []
    for i, (stim, v) in enumerate(STIMS.items()):
        rt, response = _simulate(jax.random.key(i), v, N_PER_STIM)
        frames.append(pd.DataFrame({"rt": rt, "response": response, "stim": stim}))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="session")
def ddm_model(ddm_data) -> hx.Model:
    return hx.Model(ddm_data, include=[{"name": "v", "formula": "v ~ 0 + C(stim)"}], p_outlier=None)


@pytest.fixture(scope="session")
def ppc_idata(ddm_data) -> az.InferenceData:
    rng = np.random.default_rng(1)
    n = len(ddm_data)
    v_obs = ddm_data["stim"].map(STIMS).to_numpy()
    shift = rng.normal(0.0, 0.1, size=(CHAINS, DRAWS))
    keys = jax.random.split(jax.random.key(7), CHAINS * DRAWS)
    sims = [_simulate(key, v_obs + s, n) for key, s in zip(keys, shift.ravel(), strict=True)]
    pred = np.stack([np.stack(pair, axis=-1) for pair in sims]).reshape(CHAINS, DRAWS, n, 2)
    obs = np.stack([ddm_data["rt"], ddm_data["response"]], axis=-1)
    return az.from_dict(
        posterior={
            "v_C(stim)": np.stack([1.2 + shift, 0.3 + shift], axis=-1),
            "a": rng.normal(1.0, 0.05, (CHAINS, DRAWS)),
            "v_1|g_offset": rng.normal(size=(CHAINS, DRAWS, 3)),
        },
        posterior_predictive={"rt,response": pred},
        observed_data={"rt,response": obs},
    )
