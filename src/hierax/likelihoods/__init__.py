"""Likelihoods of sequential sampling and choice models as pure JAX functions (no NumPyro).

Every function is jittable, vmappable, differentiable and keeps the floating dtype of
its inputs. The parameterisation of the drift diffusion model (HSSM's) is documented
once, in :func:`ddm_logpdf`.
"""

from hierax.likelihoods.ddm import ddm_logpdf, ddm_prob_upper
from hierax.likelihoods.ddm_sdv import ddm_sdv_logpdf
from hierax.likelihoods.full_ddm import full_ddm_logpdf
from hierax.likelihoods.lapse import lapse_mixture, uniform_lapse_logpdf
from hierax.likelihoods.lba import lba_logpdf
from hierax.likelihoods.poisson_race import poisson_race_logpdf
from hierax.likelihoods.racing_diffusion import racing_diffusion_logpdf
from hierax.likelihoods.softmax import softmax_logpmf

__all__ = [
    "ddm_logpdf",
    "ddm_prob_upper",
    "ddm_sdv_logpdf",
    "full_ddm_logpdf",
    "lapse_mixture",
    "lba_logpdf",
    "poisson_race_logpdf",
    "racing_diffusion_logpdf",
    "softmax_logpmf",
    "uniform_lapse_logpdf",
]
