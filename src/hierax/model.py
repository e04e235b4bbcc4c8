"""``hx.Model``: the HSSM user's API on NumPyro.

The Model holds the validated specification and the arrays built from the
data; sampling, results and plotting live in their own modules and the
methods here delegate to them.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import arviz as az
import numpy as np
import pandas as pd
import xarray as xr
from numpyro import handlers

from hierax import plots
from hierax.build import make_model
from hierax.describe import describe
from hierax.families import Family, family_from_model_config, get_family, is_builtin_name
from hierax.inference.arguments import SampleArguments
from hierax.inference.arguments import translate as translate_arguments
from hierax.inference.initial import initial_values
from hierax.inference.map import run_map
from hierax.inference.nuts import run_nuts
from hierax.inference.sites import model_sites
from hierax.inference.vi import run_vi
from hierax.parameterisation import parameterisation
from hierax.resolve import _DEFAULT, Resolved, resolve
from hierax.results.diagnostics import DEFAULT_MAX_TREE_DEPTH, warn_diagnostics
from hierax.results.idata import from_samples, to_inference_data
from hierax.results.io import save_model
from hierax.results.predict import predict_params
from hierax.results.predictive import (
    check_posterior_sites,
    posterior_predictive,
    prior_predictive,
)
from hierax.spec.param import ParamLike
from hierax.spec.prior import Prior

__all__ = ["Model"]

LOGLIK_KINDS = ("analytical", "blackbox")
POOLING = ("none", "complete", "partial")
_DEFAULT_LAPSE = Prior("Uniform", lower=0.0, upper=20.0)


def _pooling_formula(family: Family, group: str | None, pooling: str | None) -> ParamLike | None:
    if pooling is None and group is None:
        return None
    if pooling not in POOLING:
        raise ValueError(f"pooling must be one of {POOLING}, got {pooling!r}.")
    if group is None and pooling != "complete":
        raise ValueError(f"pooling={pooling!r} needs group= (the grouping column).")
    main = family.main or family.param_names[0]
    rhs = {"none": f"0 + C({group})", "complete": "1", "partial": f"1 + (1|{group})"}[pooling]
    return {"name": main, "formula": f"{main} ~ {rhs}"}


def _family(model, loglik, model_config, loglik_kind: str) -> Family:
    """The family: a registered one, or HSSM's ``loglik=`` + ``model_config=`` form."""
    if loglik_kind not in LOGLIK_KINDS:
        raise ValueError(
            f"loglik_kind must be one of {LOGLIK_KINDS}, got {loglik_kind!r}. hierax's "
            "built-in models use exact (analytical) likelihoods; 'blackbox' is for a "
            "loglik= function without gradients."
        )
    if loglik is None:
        if model_config is not None:
            raise ValueError("model_config= describes a loglik= function; pass loglik= too.")
        family = get_family(model)
        if loglik_kind != family.likelihood:
            raise ValueError(
                f"Model {family.name!r} has a {family.likelihood} likelihood; "
                f"loglik_kind={loglik_kind!r} needs loglik= (a function of your own)."
            )
        return family
    if not isinstance(model, str):
        raise ValueError("With loglik=, model= must be the name of your model (a string).")
    if is_builtin_name(model):
        raise ValueError(
            f"{model!r} is a built-in model; name your loglik= model otherwise "
            f"(e.g. {model + '_custom'!r})."
        )
    family = family_from_model_config(model, loglik, model_config or {}, loglik_kind)
    if loglik_kind == "blackbox":
        warnings.warn(
            f"Model {model!r}: a blackbox likelihood is differentiated by finite differences "
            f"({2 * len(family.params) + 1} calls of loglik per gradient, on the host); "
            "sampling will be much slower than with a JAX loglik.",
            UserWarning,
            stacklevel=3,
        )
    return family


class Model:
    """A hierarchical Bayesian model of behaviour, specified as in HSSM.

    Parameters
    ----------
    data
        Trial-level data: one row per observation. SSMs need ``rt`` (seconds,
        > 0) and ``response`` (1 upper, -1 or 0 lower) columns.
    model
        A family name (``hx.list_families()``): ``"ddm"``, ``"ddm_sdv"``,
        ``"full_ddm"``, a generic
        family (``"normal"``, ``"student_t"``, ``"bernoulli"``, ``"binomial"``,
        ``"poisson"``, ``"gamma"``, ``"lognormal"``), a registered family of
        your own, or a :class:`~hierax.Family`.
    include
        :class:`~hierax.Param` objects or equivalent dicts for the parameters
        that get a formula, priors, a link or bounds of their own.
    global_formula
        A formula such as ``"y ~ 1 + (1|participant_id)"`` applied to every
        parameter not given in ``include`` (its left-hand name is ignored).
    prior_settings
        The table of default priors for what you leave out (see
        :mod:`hierax.defaults`, where the three stand side by side):
        ``"safe"`` (default, as in HSSM): HSSM's safe priors, e.g.
        ``a_Intercept ~ Gamma(mu=1.5, sigma=0.75)`` and group terms
        ``Normal(0, Weibull(1.5, 0.3))``; ``None``: bambi's defaults as HSSM
        sets them; ``"scaled"``: hierax's priors, scaled to each parameter's
        typical spread between participants. ``print(model)`` says which.
    link_settings
        ``None`` (identity links) or ``"log_logit"`` (log for positive
        parameters, generalised logit for bounded ones).
    p_outlier
        Lapse probability: a number in [0, 1), a Prior, a Param with a
        formula, or ``None`` for no lapse. Default 0.05 for SSMs.
    lapse
        The lapse distribution of rt (responses are uniform over the
        choices). Default ``Prior("Uniform", lower=0.0, upper=20.0)``.
    choices
        Your response codes when they differ from the model's, e.g. ``[0, 1]``
        for a DDM; the i-th smallest is read as the model's i-th code
        (``model.family.choices``). Default: the model's codes (a two-choice
        model coded -1/1 also reads 0 as -1).
    loglik_kind
        ``"analytical"``: the closed-form/series likelihoods of hierax (or a
        JAX ``loglik=``); ``"blackbox"``: a ``loglik=`` in plain Python/NumPy,
        differentiated by finite differences (slow; a warning says so).
    response
        Generic families: the observed column (``"y"``), or ``("y", "n")``
        for binomial successes and trials.
    group, pooling
        Shortcut for the three pooling choices on the family's mean
        parameter: ``pooling="none"`` (``mu ~ 0 + C(group)``), ``"complete"``
        (``mu ~ 1``) or ``"partial"`` (``mu ~ 1 + (1|group)``).
    noncentered
        Parameterisation of group-specific terms. ``"auto"`` (default):
        per term, centred where every level's data pin its effect down more
        tightly than the group distribution does, non-centred elsewhere (see
        :mod:`hierax.centering`; on cavanagh_theta v, a and t are centred and
        z is not). ``True``: all non-centred (``{site}_offset`` sites);
        ``False``: all centred. A Param's ``centered`` overrides it per
        parameter or per term. A centred ``(1|g)`` term of a parameter with an
        intercept is sampled as the levels' own values ``{site}_level``;
        ``{site}`` is computed from them. This is how NUTS samples the model
        (:mod:`hierax.parameterisation`); MAP and VI always use non-centred
        terms, and ``model.model_fn`` itself samples every term centred.
        docs/performance.md has the measurements.
    loglik, model_config
        HSSM's form of a model of your own: ``loglik(data, *params)`` (per-row log
        density of the ``(n, 2)`` rt/response array, parameters in
        ``model_config["list_params"]`` order) and ``model_config`` with
        ``list_params``, ``bounds``, ``choices`` (and optionally ``response``,
        ``default_priors``). ``model=`` names it. :func:`hierax.register_family`
        does the same once for every later Model (and for ``hx.load``).

    Examples
    --------
    >>> import hierax as hx
    >>> data = hx.load_data("cavanagh_theta")
    >>> model = hx.Model(data, global_formula="y ~ 1 + (1|participant_id)")
    >>> print(model)  # doctest: +ELLIPSIS
    Hierarchical Sequential Sampling Model
    Model: ddm (drift diffusion model)
    ...
    v:
        Formula: v ~ 1 + (1|participant_id)
    ...
    """

    def __init__(
        self,
        data: pd.DataFrame,
        model: str | Family = "ddm",
        include: Sequence[ParamLike] | None = None,
        global_formula: str | None = None,
        prior_settings: str | None = "safe",
        link_settings: str | None = None,
        p_outlier: Any = _DEFAULT,
        lapse: Prior | dict | None = None,
        choices: Sequence[float] | None = None,
        loglik_kind: str = "analytical",
        response: str | Sequence[str] | None = None,
        group: str | None = None,
        pooling: str | None = None,
        noncentered: bool | str = "auto",
        loglik: Callable[..., Any] | None = None,
        model_config: Mapping[str, Any] | None = None,
    ):
        family = _family(model, loglik, model_config, loglik_kind)
        include = list(include or [])
        pooled = _pooling_formula(family, group, pooling)
        if pooled is not None:
            include.append(pooled)
        self.data = data
        self.spec = {
            "model": family.name,
            "include": include,
            "global_formula": global_formula,
            "prior_settings": prior_settings,
            "link_settings": link_settings,
            "p_outlier": p_outlier,
            "lapse": lapse if lapse is not None else _DEFAULT_LAPSE,
            "choices": choices,
            "loglik_kind": loglik_kind,
            "response": response,
            "noncentered": noncentered,
        }
        self.resolved: Resolved = resolve(
            data,
            family,
            include,
            global_formula,
            prior_settings,
            link_settings,
            p_outlier,
            self.spec["lapse"],
            choices,
            response,
            noncentered,
        )
        self.model_fn = make_model(
            self.resolved.family, self.resolved.plans, self.resolved.obs_site, self.resolved.lapse
        )
        self.traces: az.InferenceData | None = None

    @property
    def family(self) -> Family:
        """The model family (parameters, likelihood, simulator)."""
        return self.resolved.family

    @property
    def n_obs(self) -> int:
        """Number of observations."""
        return len(self.resolved.arrays["obs"])

    def __str__(self) -> str:
        return describe(self.resolved, self.n_obs)

    def __repr__(self) -> str:
        return f"<hierax.Model {self.family.name!r}: {self.n_obs} observations>"

    def constant_data(self) -> dict[str, Any]:
        """The data columns the formulas use, for the ``constant_data`` group."""
        columns = set()
        for design in self.resolved.designs.values():
            from hierax.design import formula_columns

            columns |= formula_columns(design.rhs)[0]
        out = {}
        for column in sorted(columns):
            series = self.data[column]
            out[column] = (
                series.to_numpy()
                if pd.api.types.is_numeric_dtype(series)
                else series.astype(str).to_numpy()
            )
        return out

    def sample(
        self,
        draws: int = 1000,
        tune: int = 1000,
        chains: int = 4,
        seed: int | None = None,
        *,
        chain_method: str | None = None,
        progress: bool | None = None,
        initvals: dict[str, Any] | None = None,
        floatX: str | None = None,
        log_likelihood: bool | str = True,
        diagnose: bool = True,
        **nuts_kwargs: Any,
    ) -> az.InferenceData:
        """Sample the posterior with NumPyro NUTS; the result is also kept at ``model.traces``.

        Parameters
        ----------
        draws, tune, chains
            Draws kept per chain, warm-up steps per chain, number of chains.
        seed
            Random seed; the same seed gives identical draws.
        chain_method
            ``"parallel"`` (one chain per device), ``"vectorized"`` or
            ``"sequential"``. Default: parallel when JAX has a device per
            chain (on a CPU, ``import hierax`` asks for ``max(4, cores)``
            devices: :mod:`hierax.inference.devices`), vectorized on one GPU,
            sequential otherwise. Sequential chains without a progress bar are
            compiled once for all chains.
        progress
            Show a progress bar (default: in a terminal, not under ``CI=true``).
        initvals
            Initial values by site name (constrained space), e.g.
            ``{"t_Intercept": 0.2}``; checked against the sites' supports.
        floatX
            ``"float64"`` (default) or ``"float32"``.
        log_likelihood
            Store the pointwise log likelihood (for LOO / WAIC): ``True``,
            ``"float32"`` (half the memory) or ``False``.
        diagnose
            Warn (one message) on divergences, r_hat > 1.01, bulk ESS < 400 or
            saturated tree depth.
        **nuts_kwargs
            Passed to :class:`numpyro.infer.NUTS`, e.g. ``target_accept_prob``,
            ``dense_mass``, ``max_tree_depth`` (default ``(7, 10)``: depth 7
            during warm-up, 10 while sampling). HSSM's names are accepted too:
            ``random_seed``, ``target_accept``, ``progressbar``, ``cores``
            (``1``: chains one after the other), ``sampler`` (any NUTS) and
            ``idata_kwargs={"log_likelihood": ...}``; anything else is an
            error naming the argument (:mod:`hierax.inference.arguments`).

        Returns
        -------
        arviz.InferenceData
            Groups posterior, sample_stats, log_likelihood, observed_data,
            constant_data.
        """
        args = translate_arguments(
            SampleArguments(seed, chain_method, progress, log_likelihood), nuts_kwargs
        )
        mcmc = run_nuts(
            self.model_fn,
            self.resolved,
            draws=draws,
            tune=tune,
            chains=chains,
            seed=args.seed,
            chain_method=args.chain_method,
            progress=args.progress,
            initvals=initvals,
            floatX=floatX,
            **args.nuts_kwargs,
        )
        self.traces = to_inference_data(
            mcmc,
            self.model_fn,
            self.resolved,
            constant_data=self.constant_data(),
            floatX=floatX,
            log_likelihood=args.log_likelihood,
        )
        if diagnose:
            depth = args.nuts_kwargs.get("max_tree_depth", DEFAULT_MAX_TREE_DEPTH)
            warn_diagnostics(self.traces, depth)
        return self.traces

    def vi(
        self,
        method: str = "advi",
        steps: int = 10_000,
        draws: int = 1000,
        seed: int | None = None,
        *,
        learning_rate: float = 0.01,
        progress: bool | None = None,
        initvals: dict[str, Any] | None = None,
        floatX: str | None = None,
        log_likelihood: bool | str = True,
        niter: int | None = None,
    ) -> az.InferenceData:
        """Approximate the posterior by variational inference (SVI); kept at ``model.traces``
        and ``model.vi_idata``.

        Parameters
        ----------
        method
            ``"advi"`` (mean-field normal, ``AutoNormal``) or
            ``"fullrank_advi"`` (normal with full covariance,
            ``AutoMultivariateNormal``), in the unconstrained space.
        steps
            Optimisation steps (ClippedAdam); ``niter`` is HSSM's name for it.
        draws
            Draws from the fitted approximation (one chain).
        seed
            Random seed.
        learning_rate
            Adam step size.
        progress, initvals, floatX, log_likelihood
            As in :meth:`sample`.

        Returns
        -------
        arviz.InferenceData
            The groups of :meth:`sample` (same variable names and coords,
            one chain, no sample_stats) plus a group ``vi`` holding ``loss``
            (the negative ELBO at each step, dim ``step``); its attributes
            name the method, steps and learning rate.
        """
        if niter is not None:
            steps = niter
        samples, fit = run_vi(
            self.model_fn,
            self.resolved,
            method=method,
            steps=steps,
            learning_rate=learning_rate,
            draws=draws,
            seed=seed,
            progress=progress,
            initvals=initvals,
            floatX=floatX,
        )
        idata = from_samples(
            samples,
            self.model_fn,
            self.resolved,
            constant_data=self.constant_data(),
            floatX=floatX,
            log_likelihood=log_likelihood,
        )
        loss = xr.Dataset(
            {"loss": ("step", fit.losses)},
            coords={"step": np.arange(steps)},
            attrs={"method": method, "steps": steps, "learning_rate": learning_rate},
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "vi" is not an ArviZ group name
            idata.add_groups({"vi": loss})
        self.traces = self._vi_idata = idata
        return idata

    def find_map(
        self,
        steps: int = 5000,
        seed: int | None = 0,
        *,
        learning_rate: float = 0.01,
        progress: bool | None = None,
        initvals: dict[str, Any] | None = None,
        floatX: str | None = None,
    ) -> dict[str, np.ndarray]:
        """Maximum a posteriori point estimates (AutoDelta guide fitted by SVI).

        Parameters
        ----------
        steps, learning_rate
            Adam steps and step size; a warning says when the loss has not
            settled by the last steps.
        seed, progress, initvals, floatX
            As in :meth:`sample`.

        Returns
        -------
        dict
            The posterior's variable names (e.g. ``v_Intercept``,
            ``v_1|participant_id``) to point estimates (numpy arrays, the
            shape of one posterior draw).
        """
        estimates, _ = run_map(
            self.model_fn,
            self.resolved,
            steps=steps,
            learning_rate=learning_rate,
            seed=seed,
            progress=progress,
            initvals=initvals,
            floatX=floatX,
        )
        return estimates

    def _fitted(self, idata: az.InferenceData | None) -> az.InferenceData:
        idata = idata if idata is not None else self.traces
        if idata is None:
            raise ValueError(
                "The model has no samples yet; call model.sample() first (or pass idata=)."
            )
        return idata

    def sample_posterior_predictive(
        self,
        idata: az.InferenceData | None = None,
        draws: int | None = None,
        seed: int | None = None,
        *,
        floatX: str | None = None,
        dtype: str = "float64",
        kind: str = "response",
    ) -> az.InferenceData:
        """Simulate data from posterior draws; adds ``posterior_predictive`` to ``idata``.

        Parameters
        ----------
        idata
            A fit of this model; default ``model.traces``. Modified in place.
        draws
            Number of posterior draws to simulate from, evenly spaced within
            each chain; ``None`` uses all.
        seed
            Random seed.
        floatX
            Precision of the simulation.
        dtype
            Storage dtype of the simulations (``"float32"`` halves memory).
        kind
            HSSM's choice: ``"response"`` simulates data; ``"response_params"``
            instead adds each trial's parameters (``v``, ``a``, ... dims
            ``(chain, draw, __obs__)``, as :meth:`predict` on the data) to the
            posterior group.

        Returns
        -------
        arviz.InferenceData
            ``idata``, with a ``posterior_predictive`` group whose variable
            (``rt,response`` for SSMs) has dims (chain, draw) + those of
            ``observed_data``.
        """
        if kind not in ("response", "response_params"):
            raise ValueError(f"kind must be 'response' or 'response_params', got {kind!r}.")
        if kind == "response_params":
            idata = self._fitted(idata)
            params = self.predict(self.data, idata, seed=seed)
            fresh = [name for name in params.data_vars if name not in idata.posterior]
            idata.posterior = idata.posterior.assign({name: params[name] for name in fresh})
            return idata
        return posterior_predictive(
            self.model_fn,
            self.resolved,
            self._fitted(idata),
            draws=draws,
            seed=seed,
            floatX=floatX,
            dtype=dtype,
        )

    def sample_prior_predictive(
        self, draws: int = 500, seed: int | None = None, *, floatX: str | None = None
    ) -> az.InferenceData:
        """Draw parameters from the prior and simulate data from them.

        Returns
        -------
        arviz.InferenceData
            Groups ``prior``, ``prior_predictive`` and ``observed_data``;
            also added to ``model.traces`` when the model has been fitted.
        """
        idata = prior_predictive(
            self.model_fn, self.resolved, draws=draws, seed=seed, floatX=floatX
        )
        if self.traces is not None:
            self.traces.extend(idata, join="right")
        return idata

    def predict(
        self,
        new_data: pd.DataFrame,
        idata: az.InferenceData | None = None,
        seed: int | None = None,
    ) -> xr.Dataset:
        """Posterior draws of every likelihood parameter for each row of ``new_data``.

        Group levels never seen in training get a fresh effect per posterior
        draw from the group distribution (a new participant).

        Parameters
        ----------
        new_data
            Rows with the columns the formulas use.
        idata
            A fit of this model; default ``model.traces``.
        seed
            Seed for the effects of unseen group levels.

        Returns
        -------
        xarray.Dataset
            One variable per parameter (``v``, ``a``, ... and ``p_outlier``),
            dims ``(chain, draw, __obs__)``.
        """
        return predict_params(
            self.resolved, self.data, new_data, self._fitted(idata).posterior, seed=seed
        )

    def save(self, path: str | os.PathLike) -> None:
        """Save the specification, the data and ``model.traces`` to one netCDF file.

        Written atomically (a temporary file in the same directory, then
        renamed); :func:`hierax.load` restores the Model exactly.
        """
        save_model(self, path)

    def plot_posterior_predictive(self, idata: az.InferenceData | None = None, **kwargs: Any):
        """Observed vs posterior-predictive RTs; see :func:`hierax.plot_posterior_predictive`."""
        return plots.plot_posterior_predictive(self, idata, **kwargs)

    def plot_quantile_probability(self, idata: az.InferenceData | None = None, **kwargs: Any):
        """The quantile-probability plot; see :func:`hierax.plot_quantile_probability`."""
        return plots.plot_quantile_probability(self, idata, **kwargs)

    def plot_trace(self, idata: az.InferenceData | None = None, **kwargs: Any):
        """ArviZ trace plot of the posterior; see :func:`hierax.plot_trace`."""
        return plots.plot_trace(self._fitted(idata), **kwargs)

    def summary(self, idata: az.InferenceData | None = None, **kwargs: Any):
        """``arviz.summary`` of the posterior (offsets left out unless ``var_names`` says).

        Returns
        -------
        pandas.DataFrame
        """
        idata = idata if idata is not None else self.traces
        if idata is None:
            raise ValueError("The model has no samples yet; call model.sample() first.")
        if "var_names" not in kwargs:
            kwargs["var_names"] = [
                v
                for v in idata.posterior.data_vars
                if not v.endswith(("_offset", "_decentered"))
                and v != "p_outlier"
                or v == "p_outlier"
                and idata.posterior[v].ndim == 2
            ]
        return az.summary(idata, **kwargs)

    # -- HSSM's names and forms for the same things ---------------------------------

    def find_MAP(self, **kwargs: Any) -> dict[str, np.ndarray]:  # noqa: N802 (HSSM's name)
        """HSSM's name for :meth:`find_map`; the estimates are also kept at ``model.map``."""
        self._map = self.find_map(**kwargs)
        return self._map

    @property
    def map(self) -> dict[str, np.ndarray]:
        """The estimates of the last :meth:`find_MAP` / :meth:`find_map` call (HSSM's name)."""
        if getattr(self, "_map", None) is None:
            raise ValueError("No MAP estimates yet; call model.find_MAP() first.")
        return self._map

    @property
    def vi_idata(self) -> az.InferenceData:
        """The draws of the last :meth:`vi` fit (HSSM's name)."""
        if getattr(self, "_vi_idata", None) is None:
            raise ValueError("No variational fit yet; call model.vi() first.")
        return self._vi_idata

    @property
    def initvals(self) -> dict[str, Any]:
        """The initial values NUTS starts from (site name to value), as HSSM's
        ``model.initvals``: edit and pass them back with ``sample(initvals=...)``."""
        return parameterisation(self.resolved).latent_values(initial_values(self.resolved))

    def restore_traces(self, traces: az.InferenceData | str | os.PathLike) -> None:
        """Attach saved draws (an InferenceData or a netCDF file written by ArviZ) as
        ``model.traces``, as HSSM's ``restore_traces``.

        Raises
        ------
        ValueError
            When the draws lack a latent site of this model.
        """
        if isinstance(traces, (str, os.PathLike)):
            traces = az.from_netcdf(traces)
        if getattr(traces, "posterior", None) is None:
            raise ValueError("The traces have no posterior group.")
        check_posterior_sites(self.model_fn, self.resolved, traces.posterior)
        self.traces = traces

    def sample_do(
        self, params: Mapping[str, Any], draws: int = 100, seed: int | None = None
    ) -> az.InferenceData:
        """Prior predictive draws with some sites set to fixed values (the do-operator),
        as HSSM's ``sample_do``: ``model.sample_do({"v_Intercept": 1.5})``.

        Parameters
        ----------
        params
            Site name (``v_Intercept``, ``a``, ``v_1|participant_id_sigma`` ...) to its
            value; the ``prior`` group holds it in every draw.
        draws, seed
            Number of draws and the random seed.
        """
        sites = model_sites(self.model_fn, self.resolved.arrays).latent
        unknown = [name for name in params if name not in sites]
        if unknown:
            raise ValueError(
                f"sample_do: the model has no sampled site {unknown[0]!r}. "
                f"Its sites are: {', '.join(sites)}."
            )
        values = {k: np.asarray(v, dtype=float) for k, v in params.items()}
        intervened = handlers.substitute(self.model_fn, data=values)
        return prior_predictive(intervened, self.resolved, draws=draws, seed=seed)

    def graph(self, *, filename: str | os.PathLike | None = None):
        """A picture of the model's sites and their dependencies (NumPyro's
        ``render_model``), as HSSM's ``model.graph()``; needs the ``graphviz``
        package (``pip install graphviz``) and, to write ``filename``, Graphviz's
        ``dot`` program.

        Returns
        -------
        graphviz.Digraph
        """
        try:
            import graphviz  # noqa: F401
        except ImportError:
            raise ImportError(
                "model.graph() draws with Graphviz: pip install graphviz (and install "
                "Graphviz's dot program to write files); print(model) describes the model "
                "in text."
            ) from None
        import jax
        from numpyro.infer.inspect import render_model

        arrays = {k: jax.numpy.asarray(v) for k, v in self.resolved.arrays.items()}
        name = None if filename is None else str(filename)
        return render_model(self.model_fn, model_args=(arrays,), filename=name)
