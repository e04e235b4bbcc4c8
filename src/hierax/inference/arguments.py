"""``Model.sample`` arguments under their HSSM / PyMC names, and clear errors for the rest.

Scripts written for HSSM call ``model.sample(sampler="nuts_numpyro", cores=4,
random_seed=1, target_accept=0.9, progressbar=False, idata_kwargs={...})``. hierax
accepts these names where their meaning carries over and otherwise names the argument
and says what to use instead, before NumPyro sees it.

Examples
--------
>>> args = SampleArguments(seed=None, chain_method=None, progress=None, log_likelihood=True)
>>> args = translate(args, {"random_seed": 3, "target_accept": 0.9, "cores": 1})
>>> args.seed, args.chain_method, args.nuts_kwargs
(3, 'sequential', {'target_accept_prob': 0.9})
"""

from __future__ import annotations

import difflib
import inspect
from dataclasses import dataclass, field, replace
from typing import Any

from numpyro.infer import NUTS

__all__ = ["SampleArguments", "translate"]

# HSSM's ``sampler`` values that mean NUTS; hierax always runs NumPyro's.
NUTS_SAMPLERS = ("nuts_numpyro", "numpyro", "nuts", "mcmc", "pymc", "nuts_blackjax")
VI_SAMPLERS = ("vi", "advi", "fullrank_advi")
# PyMC's ``init`` methods: the diagonal ones are what NUTS adapts by default; the full one
# is a dense mass matrix.
DIAGONAL_INITS = ("auto", "adapt_diag", "jitter+adapt_diag", "jitter+adapt_diag_grad")
DENSE_INITS = ("adapt_full", "jitter+adapt_full")
# PyMC arguments that hierax's behaviour already matches when they have these values.
PYMC_FIXED = {
    "discard_tuned_samples": (True, "warm-up draws are never kept"),
    "return_inferencedata": (True, "sample() always returns arviz.InferenceData"),
}


@dataclass(frozen=True)
class SampleArguments:
    """The arguments ``run_nuts`` and the InferenceData conversion receive."""

    seed: int | None
    chain_method: str | None
    progress: bool | None
    log_likelihood: bool | str
    nuts_kwargs: dict[str, Any] = field(default_factory=dict)


def _nuts_parameters() -> tuple[str, ...]:
    names = inspect.signature(NUTS.__init__).parameters
    return tuple(n for n in names if n not in ("self", "model", "potential_fn", "init_strategy"))


def translate(args: SampleArguments, extra: dict[str, Any]) -> SampleArguments:
    """Map HSSM / PyMC names in ``extra`` onto ``args``; the rest must be NUTS's own.

    Raises
    ------
    ValueError
        For an argument that is neither hierax's, HSSM's with a counterpart, nor a
        parameter of :class:`numpyro.infer.NUTS`, or a ``sampler`` other than NUTS.
    """
    extra = dict(extra)
    if "random_seed" in extra:
        value = extra.pop("random_seed")
        if args.seed is not None and args.seed != value:
            raise ValueError(
                f"seed={args.seed!r} and random_seed={value!r} disagree; give one of them "
                "(random_seed is HSSM's name for seed)."
            )
        args = replace(args, seed=value)
    if "progressbar" in extra:
        args = replace(args, progress=bool(extra.pop("progressbar")))
    if "target_accept" in extra:
        extra.setdefault("target_accept_prob", extra.pop("target_accept"))
    if "sampler" in extra:
        _check_sampler(extra.pop("sampler"))
    if "cores" in extra:
        args = _apply_cores(args, extra.pop("cores"))
    if "idata_kwargs" in extra:
        args = _apply_idata_kwargs(args, extra.pop("idata_kwargs") or {})
    if "init" in extra:
        extra = _apply_init(extra, extra.pop("init"))
    for name, (value, meaning) in PYMC_FIXED.items():
        if name in extra and extra.pop(name) != value:
            raise ValueError(f"{name}= can only be {value!r} in hierax: {meaning}.")
    if "init_strategy" in extra:
        raise ValueError(
            "init_strategy= is set by hierax from its initial values; give initvals= "
            "(values by site name) to start elsewhere."
        )
    allowed = _nuts_parameters()
    unknown = [name for name in extra if name not in allowed]
    if unknown:
        name = unknown[0]
        close = difflib.get_close_matches(name, allowed, n=3, cutoff=0.6)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise ValueError(
            f"sample() got an unknown argument {name!r}.{hint} Besides draws, tune, chains, "
            "seed, chain_method, progress, initvals, floatX, log_likelihood and diagnose, "
            f"it accepts the arguments of numpyro.infer.NUTS ({', '.join(allowed)}) and "
            "HSSM's and PyMC's names random_seed, target_accept, progressbar, cores, "
            "sampler, init and idata_kwargs."
        )
    return replace(args, nuts_kwargs={**args.nuts_kwargs, **extra})


def _check_sampler(sampler: Any) -> None:
    name = str(sampler).lower()
    if name in VI_SAMPLERS:
        raise ValueError(
            f"sampler={sampler!r}: for variational inference call model.vi(method='advi') "
            "(or 'fullrank_advi'); sample() runs NUTS."
        )
    if sampler is not None and name not in NUTS_SAMPLERS:
        raise ValueError(
            f"sampler={sampler!r} is not available: hierax samples with NumPyro's NUTS "
            f"(sampler= may be left out, or be one of {', '.join(NUTS_SAMPLERS)})."
        )


def _apply_init(extra: dict[str, Any], init: Any) -> dict[str, Any]:
    if init in DIAGONAL_INITS:
        return extra
    if init in DENSE_INITS:
        return {**extra, "dense_mass": True}
    raise ValueError(
        f"init={init!r} has no counterpart in hierax, which starts from its own initial "
        f"values (give initvals= to change them) and adapts a diagonal mass matrix "
        f"(init may be one of {', '.join(DIAGONAL_INITS + DENSE_INITS)})."
    )


def _apply_cores(args: SampleArguments, cores: Any) -> SampleArguments:
    if isinstance(cores, bool) or not isinstance(cores, int) or cores < 1:
        raise ValueError(f"cores must be a positive integer, got {cores!r}.")
    # PyMC's cores = chains sampled at once. One means one chain after the other; more
    # is hierax's default, which runs chains in parallel on the CPU devices it has.
    if cores == 1 and args.chain_method is None:
        return replace(args, chain_method="sequential")
    return args


def _apply_idata_kwargs(args: SampleArguments, idata_kwargs: dict) -> SampleArguments:
    idata_kwargs = dict(idata_kwargs)
    if "log_likelihood" in idata_kwargs:
        args = replace(args, log_likelihood=idata_kwargs.pop("log_likelihood"))
    if idata_kwargs:
        raise ValueError(
            f"idata_kwargs: only log_likelihood is understood, got {sorted(idata_kwargs)}. "
            "The InferenceData always holds posterior, sample_stats, observed_data and "
            "constant_data."
        )
    return args
