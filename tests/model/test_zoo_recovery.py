"""Hierarchical fits of HSSM's closed-form models recover the group means they were
simulated from.

Each data set has participants whose parameter (on its link scale) is the group mean
plus a normal deviation; the model regresses it on ``1 + (1|participant_id)``. The
check is the issue's: the group mean lies in the intercept's central 90% posterior
interval (an interval that covers the truth in 90% of repetitions; the seeds are
fixed, so each check is deterministic), with no divergent transition at default
settings. The fits with a log link use ``prior_settings="scaled"``: HSSM's safe table
puts ``Normal(0, 0.25)`` on every intercept under a link, which holds a rate of 10 (log
2.3) nine prior sds away. The LBA and racing-diffusion fits take minutes on 2 cores
(their likelihoods cost 20-200 times the DDM's per trial) and are marked ``long``:
``pytest -m long``.
"""

import numpy as np
import pandas as pd
import pytest

import hierax as hx

N_PARTICIPANTS = 8


def participants(family, groups, fixed, n_trials, seed, link=np.exp):
    """Data of N_PARTICIPANTS participants: each of ``groups = [(name, mean, sd), ...]``
    varies between them, normal on the link scale."""
    rng = np.random.default_rng(seed)
    values = {
        name: link(mean + sd * rng.standard_normal(N_PARTICIPANTS)) for name, mean, sd in groups
    }
    frames = [
        hx.simulate_data(
            family, {**fixed, **{k: v[j] for k, v in values.items()}}, size=n_trials, seed=seed + j
        ).assign(participant_id=j)
        for j in range(N_PARTICIPANTS)
    ]
    return pd.concat(frames, ignore_index=True)


def check_recovery(idata, site, truth):
    post = idata.posterior
    assert int(idata.sample_stats["diverging"].sum()) == 0
    low, high = np.quantile(post[site].values, [0.05, 0.95])
    assert low < truth < high, (site, low, high, truth)


def fit(model, seed):
    return model.sample(draws=300, tune=300, chains=2, seed=seed, progress=False, diagnose=False)


def test_poisson_race_with_a_log_link_and_a_lapse():
    fixed = {"r2": 8.0, "k1": 4.0, "k2": 4.0, "t": 0.15}
    data = participants("poisson_race", [("r1", np.log(10.0), 0.2)], fixed, 120, seed=10)
    model = hx.Model(
        data,
        model="poisson_race",
        include=[
            {"name": "r1", "formula": "r1 ~ 1 + (1|participant_id)", "link": "log"},
            {"name": "k1", "prior": 4.0},
            {"name": "k2", "prior": 4.0},
        ],
        p_outlier=0.02,
        prior_settings="scaled",
    )
    check_recovery(fit(model, seed=1), "r1_Intercept", np.log(10.0))


def test_softmax_with_a_global_formula():
    data = participants(
        "softmax_inv_temperature_3",
        # Both logits vary: global_formula gives each a group term, and a group sd whose
        # true value is 0 would put the centred form (chosen for 150 trials) in a funnel.
        [("logit1", 0.6, 0.4), ("logit2", -0.4, 0.3)],
        {"beta": 1.0},
        150,
        seed=20,
        link=lambda x: x,
    )
    model = hx.Model(
        data,
        model="softmax_inv_temperature_3",
        global_formula="y ~ 1 + (1|participant_id)",
        include=[{"name": "beta", "prior": 1.0}],
        p_outlier=None,
    )
    idata = fit(model, seed=2)
    check_recovery(idata, "logit1_Intercept", 0.6)
    check_recovery(idata, "logit2_Intercept", -0.4)


@pytest.mark.long
def test_lba3_with_a_non_decision_time():
    fixed = {"A": 0.3, "b": 0.7, "v1": 0.6, "v2": 0.5, "t": 0.2}
    data = participants("lba3", [("v0", np.log(1.0), 0.15)], fixed, 80, seed=30)
    model = hx.Model(
        data,
        model="lba3",
        include=[
            {"name": "v0", "formula": "v0 ~ 1 + (1|participant_id)", "link": "log"},
            {"name": "t", "prior": hx.Prior("HalfNormal", sigma=0.3)},
        ],
        prior_settings="scaled",
    )
    check_recovery(fit(model, seed=3), "v0_Intercept", 0.0)


@pytest.mark.long
@pytest.mark.xfail(
    reason="8-83 divergences at default settings: the start-point range A is barely "
    "identified and log A runs far below 0; the likelihood's gradient agrees with finite "
    "differences at the divergent draws. Open in issue 11.",
    strict=False,
)
def test_racing_diffusion_3():
    fixed = {"A": 0.3, "b": 1.0, "v1": 1.0, "v2": 0.8, "t": 0.2}
    data = participants("racing_diffusion_3", [("v0", np.log(2.0), 0.15)], fixed, 60, seed=40)
    model = hx.Model(
        data,
        model="racing_diffusion_3",
        include=[{"name": "v0", "formula": "v0 ~ 1 + (1|participant_id)", "link": "log"}],
        prior_settings="scaled",
    )
    check_recovery(fit(model, seed=4), "v0_Intercept", np.log(2.0))
