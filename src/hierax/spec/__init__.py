"""The user's model specification: priors, links and parameters."""

from hierax.spec.link import Link
from hierax.spec.param import Param, as_param
from hierax.spec.prior import Prior, as_prior

__all__ = ["Link", "Param", "Prior", "as_param", "as_prior"]
