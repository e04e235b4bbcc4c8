"""A hierarchical DDM recovers the parameters it was simulated from."""

import numpy as np
import pandas as pd

import hierax as hx
from hierax import simulate_data

TRUE = {"a": 1.0, "z": 0.45, "t": 0.3}
N_PARTICIPANTS, N_TRIALS = 6, 200


def simulated():
    rng = np.random.default_rng(11)
    v = rng.normal(0.8, 0.4, N_PARTICIPANTS)
    frames = []
    for j, vj in enumerate(v):
        df = simulate_data("ddm", {"v": vj, **TRUE}, size=N_TRIALS, seed=100 + j)
        frames.append(df.assign(participant_id=f"p{j}"))
    return pd.concat(frames, ignore_index=True), v


def test_hierarchical_ddm_recovers_simulated_parameters():
    data, v = simulated()
    model = hx.Model(
        data,
        include=[{"name": "v", "formula": "v ~ 1 + (1|participant_id)"}],
        p_outlier=None,
    )
    idata = model.sample(draws=400, tune=400, chains=1, seed=3, progress=False)
    post = idata.posterior
    assert list(post["v_1|participant_id"].coords["participant_id"].values) == [
        f"p{j}" for j in range(N_PARTICIPANTS)
    ]
    per_participant = post["v_Intercept"] + post["v_1|participant_id"]
    mean = per_participant.mean(("chain", "draw")).values
    sd = per_participant.std(("chain", "draw")).values
    # Each participant's drift within 3.5 posterior sd of the truth (fixed seeds; 6 checks).
    assert np.all(np.abs(mean - v) < 3.5 * sd), (mean, v, sd)
    for name, true in TRUE.items():
        draws = post[name].values
        assert abs(draws.mean() - true) < 3.5 * draws.std(), (name, draws.mean(), true)
