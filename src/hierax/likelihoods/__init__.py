"""Likelihoods of sequential sampling models as pure JAX functions (no NumPyro inside).

Every function is jittable, vmappable, differentiable and keeps the floating dtype of
its inputs.
"""

from hierax.likelihoods.ddm import ddm_logpdf, ddm_prob_upper

__all__ = ["ddm_logpdf", "ddm_prob_upper"]
