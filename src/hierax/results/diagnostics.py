"""Convergence checks after sampling, reported as one short warning.

Checks (thresholds after Vehtari et al. 2021, "Rank-normalization, folding,
and localization: an improved R-hat"; and the Stan manual):

- divergent transitions (any);
- r_hat above :data:`RHAT_MAX` (needs two or more chains);
- bulk effective sample size below :data:`ESS_BULK_MIN`;
- trajectories stopped by the maximum tree depth.

Examples
--------
>>> import numpy as np, arviz as az
>>> rng = np.random.default_rng(0)
>>> idata = az.from_dict(posterior={"x": rng.normal(size=(4, 1000))},
...                      sample_stats={"diverging": np.zeros((4, 1000), bool)})
>>> diagnose(idata)
[]
"""

from __future__ import annotations

import warnings

import arviz as az
import numpy as np

__all__ = ["ESS_BULK_MIN", "RHAT_MAX", "diagnose", "warn_diagnostics"]

RHAT_MAX = 1.01
ESS_BULK_MIN = 400
# NumPyro's default maximum tree depth (trajectories of up to 2**10 - 1 steps).
DEFAULT_MAX_TREE_DEPTH = 10


def _checked_vars(posterior) -> list[str]:
    """Posterior variables worth checking: sampled or per-group, not per-observation."""
    return [name for name, var in posterior.data_vars.items() if "__obs__" not in var.dims]


def _worst(values, largest: bool) -> tuple[str, float] | None:
    best_name, best_value = None, None
    for name, var in values.data_vars.items():
        array = np.asarray(var, dtype=float)
        array = array[np.isfinite(array)]
        if not array.size:
            continue
        value = float(array.max() if largest else array.min())
        if best_value is None or (value > best_value if largest else value < best_value):
            best_name, best_value = name, value
    return None if best_name is None else (best_name, best_value)


def diagnose(
    idata: az.InferenceData, max_tree_depth: int | tuple[int, int] = DEFAULT_MAX_TREE_DEPTH
) -> list[str]:
    """Problems found in a NUTS run, one sentence each (empty when all is well).

    Parameters
    ----------
    idata
        An InferenceData with ``posterior`` and, for NUTS, ``sample_stats``.
    max_tree_depth
        The sampler's maximum tree depth.
    """
    problems = []
    stats = getattr(idata, "sample_stats", None)
    if stats is not None and "diverging" in stats:
        n_div = int(stats["diverging"].sum())
        if n_div:
            total = stats["diverging"].size
            problems.append(
                f"{n_div} of {total} draws diverged: raise target_accept_prob (e.g. 0.95), or "
                "reparameterise (non-centred group terms, tighter priors)"
            )
    if stats is not None and "n_steps" in stats:
        if isinstance(max_tree_depth, tuple):  # (warm-up, sampling): draws come from sampling
            max_tree_depth = max_tree_depth[-1]
        saturated = int((np.asarray(stats["n_steps"]) >= 2**max_tree_depth - 1).sum())
        if saturated:
            problems.append(
                f"{saturated} draws hit the maximum tree depth {max_tree_depth}: raise "
                "max_tree_depth, or use dense_mass=True if parameters are strongly correlated"
            )
    posterior = idata.posterior[_checked_vars(idata.posterior)]
    n_chains = posterior.sizes.get("chain", 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if n_chains > 1:
            worst = _worst(az.rhat(posterior), largest=True)
            if worst is not None and worst[1] > RHAT_MAX:
                problems.append(
                    f"r_hat up to {worst[1]:.3f} (> {RHAT_MAX}, {worst[0]!r}): the chains disagree;"
                    " run longer (more tune and draws) or check the model"
                )
        worst = _worst(az.ess(posterior, method="bulk"), largest=False)
    if worst is not None and worst[1] < ESS_BULK_MIN:
        problems.append(
            f"bulk ESS as low as {worst[1]:.0f} (< {ESS_BULK_MIN}, {worst[0]!r}): draw more "
            "samples or more chains"
        )
    return problems


def warn_diagnostics(
    idata: az.InferenceData, max_tree_depth: int | tuple[int, int] = DEFAULT_MAX_TREE_DEPTH
) -> None:
    """Emit one ``UserWarning`` listing the problems :func:`diagnose` finds, if any."""
    problems = diagnose(idata, max_tree_depth)
    if problems:
        warnings.warn("Sampling problems: " + "; ".join(problems) + ".", UserWarning, stacklevel=3)
