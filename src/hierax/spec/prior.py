"""Priors: a distribution name and its parameters, any of which may be a Prior.

``Prior("Normal", mu=0.0, sigma=Prior("HalfNormal", sigma=0.5))`` is a normal
prior whose scale is itself estimated (a hyperprior). Names are NumPyro
distribution names; parameters may use NumPyro's names (``loc``, ``scale``) or
the PyMC/HSSM names users know (``mu``, ``sigma``, ``lower``, ``upper``,
``alpha``, ``beta``, ``nu``, ``lam``). ``Gamma``, ``InverseGamma`` and ``Beta``
also accept the mean/sd form ``(mu, sigma)``.

Examples
--------
>>> Prior("Normal", mu=0.0, sigma=Prior("HalfNormal", sigma=0.5))
Prior('Normal', mu=0.0, sigma=Prior('HalfNormal', sigma=0.5))
>>> Prior("Gamma", mu=1.0, sigma=0.5).distribution().mean.item()
1.0
>>> d = Prior("Gamma", mu=1.5, sigma=0.75).distribution()  # HSSM's safe prior of a
>>> round(d.concentration.item(), 6), round(d.rate.item(), 6)  # (mu/sigma)^2, mu/sigma^2
(4.0, 2.666667)
>>> print(Prior("Weibull", alpha=1.5, beta=0.3))
Weibull(alpha: 1.5, beta: 0.3)
"""

from __future__ import annotations

import difflib
import inspect
import math
import numbers
from collections.abc import Callable, Mapping
from typing import Any

import jax.numpy as jnp
import numpyro.distributions as dist

__all__ = ["Prior", "PriorLike", "as_prior"]

# PyMC / HSSM parameter names -> NumPyro's, per distribution.
_ALIASES: dict[str, dict[str, str]] = {
    "Normal": {"mu": "loc", "sigma": "scale"},
    "HalfNormal": {"sigma": "scale"},
    "LogNormal": {"mu": "loc", "sigma": "scale"},
    "TruncatedNormal": {"mu": "loc", "sigma": "scale", "lower": "low", "upper": "high"},
    "StudentT": {"nu": "df", "mu": "loc", "sigma": "scale"},
    "Cauchy": {"alpha": "loc", "beta": "scale", "mu": "loc", "sigma": "scale"},
    "HalfCauchy": {"beta": "scale", "sigma": "scale"},
    "Laplace": {"mu": "loc", "b": "scale"},
    "Logistic": {"mu": "loc", "s": "scale"},
    "Uniform": {"lower": "low", "upper": "high"},
    "Exponential": {"lam": "rate"},
    "Gamma": {"alpha": "concentration", "beta": "rate"},
    "InverseGamma": {"alpha": "concentration", "beta": "rate"},
    "Beta": {"alpha": "concentration1", "beta": "concentration0"},
    "Weibull": {"alpha": "concentration", "beta": "scale"},
}


def _gamma_from_mean(mu, sigma):
    return {"concentration": mu**2 / sigma**2, "rate": mu / sigma**2}


def _inverse_gamma_from_mean(mu, sigma):
    concentration = mu**2 / sigma**2 + 2.0
    return {"concentration": concentration, "rate": mu * (concentration - 1.0)}


def _beta_from_mean(mu, sigma):
    kappa = mu * (1.0 - mu) / sigma**2 - 1.0
    return {"concentration1": mu * kappa, "concentration0": (1.0 - mu) * kappa}


# Distributions that also take the mean/sd form (mu, sigma), as HSSM allows.
_MEAN_SD_FORMS: dict[str, Callable[[Any, Any], dict[str, Any]]] = {
    "Gamma": _gamma_from_mean,
    "InverseGamma": _inverse_gamma_from_mean,
    "Beta": _beta_from_mean,
}


def _numpyro_distributions() -> dict[str, type[dist.Distribution]]:
    names = {}
    for name in dir(dist):
        obj = getattr(dist, name)
        if (
            inspect.isclass(obj)
            and issubclass(obj, dist.Distribution)
            and obj is not dist.Distribution
            and not name.startswith("_")
        ):
            names[name] = obj
    # A factory function in NumPyro, not a class, but a prior users expect.
    names["TruncatedNormal"] = dist.TruncatedNormal
    return names


_DISTRIBUTIONS = _numpyro_distributions()
_COMMON_PRIORS = (
    "Normal",
    "HalfNormal",
    "TruncatedNormal",
    "StudentT",
    "Uniform",
    "Gamma",
    "Beta",
    "LogNormal",
    "Exponential",
    "HalfCauchy",
    "Cauchy",
    "InverseGamma",
)


def _arguments(cls: type[dist.Distribution]) -> tuple[list[str], list[str]]:
    """Required and optional keyword arguments of a NumPyro distribution."""
    required, optional = [], []
    target = cls.__init__ if inspect.isclass(cls) else cls
    for name, par in inspect.signature(target).parameters.items():
        if name in ("self", "validate_args") or par.kind in (par.VAR_POSITIONAL, par.VAR_KEYWORD):
            continue
        (required if par.default is inspect.Parameter.empty else optional).append(name)
    return required, optional


class Prior:
    """A prior distribution, by NumPyro name, whose parameters may be Priors.

    Parameters
    ----------
    name
        A NumPyro distribution name, e.g. ``"Normal"``, ``"HalfNormal"``,
        ``"Uniform"``, ``"Gamma"``, ``"Beta"``, ``"StudentT"``. A misspelled
        name raises ``ValueError`` listing close matches.
    **params
        The distribution's parameters, by NumPyro or PyMC name. Each is a
        number or a :class:`Prior` (a hyperprior, estimated jointly).

    Examples
    --------
    >>> p = Prior("Uniform", lower=0.0, upper=20.0)
    >>> p.distribution().high.item()
    20.0
    >>> Prior("Nromal", mu=0, sigma=1)
    Traceback (most recent call last):
    ...
    ValueError: Unknown prior distribution 'Nromal'. Did you mean: Normal, HalfNormal? ...
    """

    __slots__ = ("_name", "_params")

    def __init__(self, name: str, **params: float | Prior):
        if name not in _DISTRIBUTIONS:
            close = difflib.get_close_matches(name, _DISTRIBUTIONS, n=3, cutoff=0.6)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise ValueError(
                f"Unknown prior distribution {name!r}.{hint} Use a NumPyro distribution "
                f"name, e.g. {', '.join(_COMMON_PRIORS)}."
            )
        for key, value in params.items():
            if not isinstance(value, Prior) and not _is_number(value):
                raise TypeError(
                    f"Prior {name!r}: parameter {key!r} must be a number or a Prior, "
                    f"got {type(value).__name__}."
                )
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_params", dict(params))
        self._check_arguments()
        self._check_values()
        self._check_hyperprior_supports()

    def __setattr__(self, key, value):
        raise AttributeError("Prior is immutable; create a new Prior instead.")

    @property
    def name(self) -> str:
        """The NumPyro distribution name."""
        return self._name

    @property
    def params(self) -> dict[str, float | Prior]:
        """The parameters as the user gave them (a copy)."""
        return dict(self._params)

    @property
    def is_hierarchical(self) -> bool:
        """Whether any parameter is itself a Prior."""
        return any(isinstance(v, Prior) for v in self._params.values())

    @property
    def hyperpriors(self) -> dict[str, Prior]:
        """The parameters that are Priors, by the user's parameter name."""
        return {k: v for k, v in self._params.items() if isinstance(v, Prior)}

    def _numpyro_kwargs(self, values: Mapping[str, Any]) -> dict[str, Any]:
        mean_sd = _MEAN_SD_FORMS.get(self._name)
        if mean_sd is not None and set(values) == {"mu", "sigma"}:
            return mean_sd(values["mu"], values["sigma"])
        aliases = _ALIASES.get(self._name, {})
        return {aliases.get(k, k): v for k, v in values.items()}

    def _check_arguments(self) -> None:
        if self._name in _MEAN_SD_FORMS and set(self._params) == {"mu", "sigma"}:
            return  # the mean/sd form, whose values may be hyperpriors
        cls = _DISTRIBUTIONS[self._name]
        required, optional = _arguments(cls)
        kwargs = self._numpyro_kwargs(self._params)
        accepted = required + optional
        unknown = [
            k for k in self._params if self._numpyro_kwargs({k: 0}).popitem()[0] not in accepted
        ]
        if unknown:
            names = sorted(set(accepted) | set(_ALIASES.get(self._name, {})))
            raise ValueError(
                f"Prior {self._name!r} has no parameter {unknown[0]!r}. "
                f"Its parameters are: {', '.join(names)}."
            )
        missing = [k for k in required if k not in kwargs]
        if missing:
            raise ValueError(
                f"Prior {self._name!r} needs parameter {missing[0]!r} "
                f"(required: {', '.join(required)})."
            )

    def _check_values(self) -> None:
        """Check numeric parameters against the distribution's constraints, in NumPy.

        NumPy rather than JAX, so that building a Prior (as hierax does at
        import for its family tables) never starts a JAX backend.
        """
        numeric = {k: float(v) for k, v in self._params.items() if not isinstance(v, Prior)}
        kwargs = self._numpyro_kwargs(numeric)
        cls = _DISTRIBUTIONS[self._name]
        constraints_ = getattr(cls, "arg_constraints", {})
        for key, value in kwargs.items():
            lower, upper = _constraint_bounds(constraints_.get(key))
            closed = type(constraints_.get(key)).__name__ in ("_GreaterThanEq", "_Interval")
            ok = (
                math.isfinite(value)
                and (value >= lower if closed else value > lower or lower == -math.inf)
                and value <= upper
            )
            if not ok:
                raise ValueError(
                    f"Invalid parameter values for {self!r}: {key} = {value:g} must lie in "
                    f"({lower:g}, {upper:g})."
                )
        if self._name == "Uniform" and not kwargs.get("low", 0.0) < kwargs.get("high", 1.0):
            raise ValueError(f"Invalid parameter values for {self!r}: lower must be < upper.")

    def _check_hyperprior_supports(self) -> None:
        """Refuse a hyperprior whose support leaves the argument it feeds (REVIEW.md B3)."""
        for key, hyper in self.hyperpriors.items():
            if self._name in _MEAN_SD_FORMS and set(self._params) == {"mu", "sigma"}:
                lower, upper = (0.0, math.inf) if key == "sigma" else (-math.inf, math.inf)
            else:
                target = self._numpyro_kwargs({key: 0}).popitem()[0]
                constraint = getattr(_DISTRIBUTIONS[self._name], "arg_constraints", {})
                lower, upper = _constraint_bounds(constraint.get(target))
            low, high = hyper.support_bounds()
            if low < lower or high > upper:
                raise ValueError(
                    f"Prior {self._name!r}: the hyperprior {hyper!r} of {key!r} has support "
                    f"({low:g}, {high:g}), but {key} must lie in ({lower:g}, {upper:g}). "
                    "Use a hyperprior inside it (e.g. HalfNormal or Weibull for a scale)."
                )

    def distribution(
        self, values: Mapping[str, Any] | None = None, *, validate_args: bool | None = None
    ) -> dist.Distribution:
        """The NumPyro distribution, with hyperprior values filled in.

        Parameters
        ----------
        values
            Values (numbers or arrays) for the parameters that are Priors,
            keyed by the user's parameter names.

        Examples
        --------
        >>> p = Prior("Normal", mu=0.0, sigma=Prior("HalfNormal", sigma=1.0))
        >>> float(p.distribution({"sigma": 2.0}).scale)
        2.0
        """
        values = dict(values or {})
        resolved = {}
        for key, value in self._params.items():
            if isinstance(value, Prior):
                if key not in values:
                    raise ValueError(f"{self!r}: a value for hyperprior {key!r} is needed.")
                resolved[key] = values[key]
            else:
                resolved[key] = jnp.asarray(value, dtype=jnp.result_type(float))
        kwargs = self._numpyro_kwargs(resolved)
        return _DISTRIBUTIONS[self._name](**kwargs, validate_args=validate_args)

    def support_bounds(self) -> tuple[float, float]:
        """Lower and upper ends of the prior's support (hyperpriors at their means).

        Examples
        --------
        >>> Prior("HalfNormal", sigma=1.0).support_bounds()
        (0.0, inf)
        """
        from numpyro.distributions import constraints

        # Read from the class where it fixes the support: no distribution (and no JAX
        # arrays) is built, so priors can be checked at import (see _check_values).
        fixed = getattr(_DISTRIBUTIONS[self._name], "support", None)
        if isinstance(fixed, constraints.Constraint) and not constraints.is_dependent(fixed):
            return _constraint_bounds(fixed)
        values = {k: v.distribution().mean for k, v in self.hyperpriors.items()}
        support = self.distribution(values).support
        return _constraint_bounds(support)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Prior) and (self._name, self._params) == (
            other._name,
            other._params,
        )

    def __hash__(self) -> int:
        return hash((self._name, tuple(sorted(self._params.items(), key=lambda kv: kv[0]))))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._params.items())
        return f"Prior({self._name!r}, {args})"

    def __str__(self) -> str:
        """HSSM's printout: ``Gamma(mu: 1.5, sigma: 0.75)``, numbers to 4 decimals.

        Examples
        --------
        >>> print(Prior("Normal", mu=0, sigma=Prior("Weibull", alpha=1.5, beta=0.3)))
        Normal(mu: 0.0, sigma: Weibull(alpha: 1.5, beta: 0.3))
        """
        args = ", ".join(f"{k}: {_format_value(v)}" for k, v in self._params.items())
        return f"{self._name}({args})"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict, the inverse of :func:`as_prior`.

        Examples
        --------
        >>> Prior("HalfNormal", sigma=0.5).to_dict()
        {'name': 'HalfNormal', 'sigma': 0.5}
        """
        out: dict[str, Any] = {"name": self._name}
        for key, value in self._params.items():
            out[key] = value.to_dict() if isinstance(value, Prior) else float(value)
        return out


PriorLike = Prior | Mapping[str, Any] | float | int


def as_prior(spec: PriorLike) -> Prior | float:
    """Normalise a prior given as a Prior, a dict ``{"name": ..., **params}`` or a number.

    A number means a fixed value (no prior). Nested dicts become nested Priors.

    Examples
    --------
    >>> as_prior({"name": "Normal", "mu": 0, "sigma": {"name": "HalfNormal", "sigma": 1}})
    Prior('Normal', mu=0, sigma=Prior('HalfNormal', sigma=1))
    >>> as_prior(0.5)
    0.5
    """
    if isinstance(spec, Prior):
        return spec
    if _is_number(spec):
        return float(spec)
    if isinstance(spec, Mapping):
        if "name" not in spec:
            raise ValueError(f"A prior given as a dict needs a 'name' key, got {dict(spec)!r}.")
        params = {k: v for k, v in spec.items() if k != "name"}
        params = {k: (as_prior(v) if isinstance(v, Mapping) else v) for k, v in params.items()}
        return Prior(spec["name"], **params)
    raise TypeError(
        f"A prior must be a hx.Prior, a dict with a 'name' key, or a number; "
        f"got {type(spec).__name__}: {spec!r}."
    )


def _format_value(value: float | Prior) -> str:
    """A parameter as HSSM prints it: a Prior, or a float rounded to 4 decimals."""
    if isinstance(value, Prior):
        return str(value)
    rounded = round(float(value), 4)
    return repr(rounded) if rounded != 0.0 or value == 0 else f"{float(value):.4g}"


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _constraint_bounds(constraint) -> tuple[float, float]:
    """(lower, upper) of a NumPyro constraint; infinite ends where unbounded."""
    from numpyro.distributions import constraints

    if constraint is None:
        return -math.inf, math.inf
    lower = getattr(constraint, "lower_bound", None)
    upper = getattr(constraint, "upper_bound", None)
    if constraint is constraints.positive or constraint is constraints.nonnegative:
        lower = 0.0
    if constraint is constraints.unit_interval:
        lower, upper = 0.0, 1.0
    lower = -math.inf if lower is None else float(lower)
    upper = math.inf if upper is None else float(upper)
    return lower, upper
