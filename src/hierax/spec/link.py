"""Link functions: map a parameter's linear predictor to the parameter.

A :class:`Link` has ``inverse(eta) -> parameter`` (used in the model) and
``forward(parameter) -> eta`` (used for initial values and priors).

========== ============================================ ======================
name       parameter = inverse(eta)                     use for
========== ============================================ ======================
identity   eta                                          unbounded parameters
log        lower + exp(eta)                             (lower, inf)
logit      lower + (upper - lower) * sigmoid(eta)       (lower, upper)
========== ============================================ ======================

``logit`` with bounds other than (0, 1) is the generalised logit of HSSM's
``link_settings="log_logit"``; ``log`` with a lower bound other than 0 is the
shifted log.

Examples
--------
>>> link = Link("logit", bounds=(0.0, 2.0))
>>> float(link.inverse(0.0))
1.0
>>> float(link.forward(1.5))
1.0986...
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import jax
import jax.numpy as jnp

__all__ = ["LINK_NAMES", "Link"]

LINK_NAMES = ("identity", "log", "logit")


@dataclass(frozen=True)
class Link:
    """A link function, optionally bounded.

    Parameters
    ----------
    name
        ``"identity"``, ``"log"`` or ``"logit"``.
    bounds
        ``(lower, upper)`` of the parameter. ``log`` needs a finite lower
        bound (default 0); ``logit`` needs both finite (default (0, 1)).

    Examples
    --------
    >>> Link("log").inverse(0.0).item()
    1.0
    """

    name: str = "identity"
    bounds: tuple[float, float] = (-math.inf, math.inf)

    def __post_init__(self):
        if self.name not in LINK_NAMES:
            raise ValueError(f"Unknown link {self.name!r}; choose one of {', '.join(LINK_NAMES)}.")
        lower, upper = (float(b) for b in self.bounds)
        if self.name == "log" and not math.isfinite(lower):
            lower = 0.0
        if self.name == "logit":
            lower = 0.0 if not math.isfinite(lower) else lower
            upper = 1.0 if not math.isfinite(upper) else upper
        if not lower < upper:
            raise ValueError(
                f"Link {self.name!r}: bounds must satisfy lower < upper, got {self.bounds}."
            )
        object.__setattr__(self, "bounds", (lower, upper))

    def inverse(self, eta: jax.Array) -> jax.Array:
        """Parameter value from the linear predictor ``eta``."""
        lower, upper = self.bounds
        if self.name == "log":
            return lower + jnp.exp(eta)
        if self.name == "logit":
            return lower + (upper - lower) * jax.nn.sigmoid(eta)
        return eta

    def forward(self, value: jax.Array) -> jax.Array:
        """Linear predictor from a parameter value (the link function itself)."""
        lower, upper = self.bounds
        if self.name == "log":
            return jnp.log(value - lower)
        if self.name == "logit":
            p = (value - lower) / (upper - lower)
            return jnp.log(p) - jnp.log1p(-p)
        return value

    def __str__(self) -> str:
        if self.name == "identity":
            return "identity"
        if self.name == "log":
            return "log" if self.bounds[0] == 0 else f"log(x - {self.bounds[0]:g})"
        lower, upper = self.bounds
        return "logit" if (lower, upper) == (0.0, 1.0) else f"gen_logit({lower:g}, {upper:g})"
