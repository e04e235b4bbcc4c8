"""What a model family is: its parameters (bounds, default priors) and its likelihood.

A :class:`Family` is a table of :class:`ParamInfo` plus two pure JAX
functions: ``logpdf(obs, **params)`` giving one log density per observation,
and ``sample(key, shape, **params)`` drawing observations.

Examples
--------
>>> from hierax.families import get_family
>>> fam = get_family("ddm")
>>> fam.param_names
('v', 'a', 'z', 't')
>>> fam["a"].bounds
(0.0, inf)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import jax
import numpy as np

from hierax.spec.prior import Prior

__all__ = ["Family", "ParamInfo"]


@dataclass(frozen=True)
class ParamInfo:
    """One parameter of a family.

    Parameters
    ----------
    name
        The parameter's name, e.g. ``"v"``.
    bounds
        ``(lower, upper)`` of its support; infinite ends where unbounded.
    prior
        Its default prior when it has no formula.
    scale
        The typical spread of the parameter between participants on its own
        scale; the "safe" priors of its regression terms are built from it.
    init
        A central value well inside the bounds, used for initial values.
    description
        One line for ``print(model)`` and the docs.
    """

    name: str
    bounds: tuple[float, float]
    prior: Prior
    scale: float
    init: float
    description: str = ""

    @property
    def is_bounded(self) -> bool:
        """Whether either end of the support is finite."""
        return any(math.isfinite(b) for b in self.bounds)


@dataclass(frozen=True)
class Family:
    """A likelihood family: parameters, log density and simulator.

    Parameters
    ----------
    name
        Registered name, e.g. ``"ddm"`` or ``"normal"``.
    params
        The parameters, in the order of the likelihood's arguments.
    logpdf
        ``logpdf(obs, **params) -> (n,)``; ``obs`` has shape ``(n,)`` or ``(n, k)``.
    sample
        ``sample(key, shape, obs, **params) -> obs``, a draw of shape
        ``shape (+ (k,))``; ``obs`` (the observed array or ``None``) supplies
        fixed columns such as the binomial number of trials.
    response
        The default data column(s) holding the observations.
    is_ssm
        Sequential sampling model: observations are (rt, response) pairs.
    choices
        Valid response codes (SSMs and discrete families).
    default_links
        Links used when the user gives none, e.g. ``{"p": "logit"}``.
    main
        The parameter that ``group=`` / ``pooling=`` models put a formula on.
    data_params
        Optional function of the observations returning the parameter table
        with data-scaled default priors (generic families, so that the
        defaults suit the data's units); see :meth:`for_data`.
    """

    name: str
    params: tuple[ParamInfo, ...]
    logpdf: Callable[..., jax.Array]
    sample: Callable[..., jax.Array]
    response: tuple[str, ...]
    is_ssm: bool = False
    choices: tuple[float, ...] | None = None
    default_links: dict[str, str] = field(default_factory=dict)
    main: str | None = None
    data_params: Callable[[np.ndarray], tuple[ParamInfo, ...]] | None = None
    description: str = ""

    @property
    def param_names(self) -> tuple[str, ...]:
        """Parameter names in likelihood order."""
        return tuple(p.name for p in self.params)

    def for_data(self, obs: np.ndarray) -> Family:
        """The family with default priors scaled to the observations ``obs``."""
        if self.data_params is None:
            return self
        return replace(self, params=self.data_params(np.asarray(obs)), data_params=None)

    def __getitem__(self, name: str) -> ParamInfo:
        for info in self.params:
            if info.name == name:
                return info
        raise KeyError(
            f"Model {self.name!r} has no parameter {name!r}; "
            f"its parameters are {', '.join(self.param_names)}."
        )
