"""Simulators: exact, vectorised draws from the models hierax fits.

:func:`simulate_data` makes a pandas data set for a model name and parameter
values; :func:`sample_ddm` is the pure-JAX sampler underneath (jittable,
vmappable, GPU-ready). :data:`SIMULATOR_PARAMS` lists each model's parameters.

Examples
--------
>>> from hierax.simulators import SIMULATOR_PARAMS
>>> SIMULATOR_PARAMS["ddm_sdv"]
('v', 'a', 'z', 't', 'sv')
"""

from hierax.simulators.ddm import SIMULATOR_PARAMS, sample_ddm, simulate_data

__all__ = ["SIMULATOR_PARAMS", "sample_ddm", "simulate_data"]
