"""A hand-written NumPyro DDM and hx.Model agree on the same data and priors."""

import jax
import numpy as np
import numpyro
import numpyro.distributions as dist
import pandas as pd
from numpyro.infer import MCMC, NUTS

import hierax as hx
from hierax import simulate_data
from hierax.numpyro import DDM, hierarchical

TRUE_V = [0.4, 1.0, 1.5]
TRIALS = 150


def simulated() -> pd.DataFrame:
    frames = [
        simulate_data(
            "ddm", {"v": v, "a": 0.9, "z": 0.5, "t": 0.25}, size=TRIALS, seed=7 + j
        ).assign(participant_id=j)
        for j, v in enumerate(TRUE_V)
    ]
    return pd.concat(frames, ignore_index=True)


def handwritten(obs, participant):
    # The same priors hx.Model uses with prior_settings="scaled" and identity links.
    v = hierarchical("v", participant, dist.Normal(0.0, 2.0), dist.HalfNormal(0.5))
    a = numpyro.sample("a", hx.Prior("Gamma", mu=1.0, sigma=0.75).distribution())
    z = numpyro.sample("z", dist.Beta(5.0, 5.0))
    t = numpyro.sample("t", hx.Prior("Gamma", mu=0.3, sigma=0.3).distribution())
    with numpyro.plate("trials", obs.shape[0]):
        numpyro.sample("obs", DDM(v.per_observation, a, z, t), obs=obs)


def test_handwritten_and_model_give_the_same_posterior():
    data = simulated()
    model = hx.Model(
        data,
        include=[{"name": "v", "formula": "v ~ 1 + (1|participant_id)"}],
        p_outlier=None,
        prior_settings="scaled",
    )
    idata = model.sample(
        draws=600, tune=500, chains=1, seed=0, progress=False, diagnose=False, log_likelihood=False
    )
    obs = data[["rt", "response"]].to_numpy()
    mcmc = MCMC(NUTS(handwritten), num_warmup=500, num_samples=600, progress_bar=False)
    mcmc.run(jax.random.PRNGKey(1), obs, data["participant_id"].to_numpy())
    hand = {k: np.asarray(v) for k, v in mcmc.get_samples().items()}
    ours = {
        "v_mu": idata.posterior["v_Intercept"].values.ravel(),
        "v_sigma": idata.posterior["v_1|participant_id_sigma"].values.ravel(),
        "a": idata.posterior["a"].values.ravel(),
        "z": idata.posterior["z"].values.ravel(),
        "t": idata.posterior["t"].values.ravel(),
    }
    for name, draws in ours.items():
        other = hand[name]
        # Posterior means agree within Monte-Carlo error: 4 x the standard error of the
        # difference, with an effective sample size taken conservatively as 100 per run.
        se = np.sqrt(draws.var() / 100 + other.var() / 100)
        assert abs(draws.mean() - other.mean()) < 4 * se, (name, draws.mean(), other.mean())
    per_participant = idata.posterior["v_Intercept"] + idata.posterior["v_1|participant_id"]
    np.testing.assert_allclose(
        per_participant.mean(("chain", "draw")).values,
        hand["v"].mean(axis=0),
        atol=4 * np.sqrt(2 * hand["v"].var(axis=0) / 100).max(),
    )
