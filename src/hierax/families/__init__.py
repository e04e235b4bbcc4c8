"""Registered model families: the built-in ones and those users register.

Examples
--------
>>> list_families()[:3]
['bernoulli', 'binomial', 'ddm']
>>> get_family("racing_diffusion_3").choices
(0.0, 1.0, 2.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hierax.families.base import Constraint, Family, ParamInfo
from hierax.families.choice import CHOICE_FAMILIES
from hierax.families.custom import make_family, prior_from_bounds
from hierax.families.distribution import FamilyDistribution, LapseMixture
from hierax.families.glm import GLM_FAMILIES
from hierax.families.lba import LBA_FAMILIES
from hierax.families.race import RACE_FAMILIES
from hierax.families.ssm import SSM_FAMILIES

__all__ = [
    "Constraint",
    "Family",
    "FamilyDistribution",
    "LapseMixture",
    "ParamInfo",
    "family_from_model_config",
    "get_family",
    "is_builtin",
    "is_builtin_name",
    "list_families",
    "make_family",
    "prior_from_bounds",
    "register_family",
]

_BUILTIN: dict[str, Family] = {
    **SSM_FAMILIES,
    **LBA_FAMILIES,
    **RACE_FAMILIES,
    **CHOICE_FAMILIES,
    **GLM_FAMILIES,
}
_REGISTRY: dict[str, Family] = dict(_BUILTIN)


def list_families() -> list[str]:
    """Names accepted by ``hx.Model(model=...)``, sorted (built-in and registered)."""
    return sorted(_REGISTRY)


def is_builtin_name(name: str) -> bool:
    """Whether ``name`` is the name of one of hierax's own models."""
    return name in _BUILTIN


def is_builtin(family: Family) -> bool:
    """Whether ``family`` is one of hierax's own (not a user's)."""
    return _BUILTIN.get(family.name) is family


def get_family(name: str | Family) -> Family:
    """The family registered under ``name`` (a Family passes through).

    Raises
    ------
    ValueError
        For an unknown name; the message lists the registered ones.
    """
    if isinstance(name, Family):
        return name
    if not isinstance(name, str) or name not in _REGISTRY:
        raise ValueError(
            f"Unknown model {name!r}. Available models: {', '.join(list_families())}. "
            "A model of your own: hx.register_family(...) or Model(loglik=..., model_config=...)."
        )
    return _REGISTRY[name]


def register_family(
    family: Family | str, *args: Any, overwrite: bool = False, **kwargs: Any
) -> Family:
    """Register a family under its name, so that ``hx.Model(model=name)`` and ``hx.load`` find it.

    Pass a :class:`Family`, or :func:`make_family`'s arguments
    (``register_family("my_model", ["v", "a"], logpdf, bounds=...)``).
    A name of a built-in model is refused; re-registering a user name needs
    ``overwrite=True``.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> fam = register_family(
    ...     "coin", {"p": (0.0, 1.0)}, lambda y, p: jnp.where(y == 1, jnp.log(p), jnp.log1p(-p)),
    ...     choices=None, response=["y"], overwrite=True,
    ... )
    >>> "coin" in list_families()
    True
    """
    if not isinstance(family, Family):
        family = make_family(family, *args, **kwargs)
    elif args or kwargs:
        raise ValueError("register_family(family) takes no further arguments with a Family.")
    if family.name in _BUILTIN:
        raise ValueError(
            f"{family.name!r} is a built-in model; give your family another name "
            f"(e.g. {family.name + '_custom'!r})."
        )
    if family.name in _REGISTRY and not overwrite and _REGISTRY[family.name] != family:
        raise ValueError(
            f"A model named {family.name!r} is already registered; pass overwrite=True to "
            "replace it."
        )
    _REGISTRY[family.name] = family
    return family


def family_from_model_config(
    name: str, loglik: Any, model_config: Mapping[str, Any], loglik_kind: str = "analytical"
) -> Family:
    """A family from HSSM's ``loglik=`` callable and ``model_config`` dict.

    ``model_config`` keys as in HSSM: ``list_params`` (required), ``bounds``,
    ``choices``, ``response``, ``default_priors``, ``description``. A
    ``loglik`` given as a class or an ONNX file (HSSM's other forms) is refused
    with a message saying what to pass instead.
    """
    if not callable(loglik) or isinstance(loglik, type):
        raise ValueError(
            f"loglik must be a function loglik(data, *params) (JAX, or NumPy with "
            f"loglik_kind='blackbox'); got {loglik!r}."
        )
    config = dict(model_config or {})
    known = {"list_params", "bounds", "choices", "response", "default_priors", "description"}
    unknown = set(config) - known - {"rv", "backend", "extra_fields"}
    if unknown:
        raise ValueError(
            f"model_config has unknown key(s) {sorted(unknown)}; hierax reads {sorted(known)}."
        )
    if "list_params" not in config:
        raise ValueError("model_config needs 'list_params': the parameter names, in order.")
    bounds = dict(config.get("bounds") or {})
    priors = dict(config.get("default_priors") or {})
    params = {}
    for param in config["list_params"]:
        spec: dict[str, Any] = {}
        if param in bounds:
            spec["bounds"] = bounds[param]
        if param in priors:
            spec["prior"] = priors[param]
        params[param] = spec
    choices = config.get("choices", (-1.0, 1.0))
    return make_family(
        name,
        params,
        loglik,
        choices=choices,
        response=config.get("response"),
        loglik_kind=loglik_kind,
        description=config.get("description", ""),
    )
