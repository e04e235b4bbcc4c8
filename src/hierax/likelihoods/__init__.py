"""Likelihoods of sequential sampling models as pure JAX functions (no NumPyro inside).

Every function is jittable, vmappable, differentiable and keeps the floating dtype of
its inputs. The parameterisation of the drift diffusion model (HSSM's) is documented
once, in :func:`ddm_logpdf`.
"""

from hierax.likelihoods.ddm import ddm_logpdf, ddm_prob_upper
from hierax.likelihoods.ddm_sdv import ddm_sdv_logpdf
from hierax.likelihoods.full_ddm import full_ddm_logpdf
from hierax.likelihoods.lapse import lapse_mixture, uniform_lapse_logpdf

__all__ = [
    "ddm_logpdf",
    "ddm_prob_upper",
    "ddm_sdv_logpdf",
    "full_ddm_logpdf",
    "lapse_mixture",
    "uniform_lapse_logpdf",
]
