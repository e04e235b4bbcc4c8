"""Simulators: exact, vectorised draws from the models hierax fits, as pure JAX functions.

Each ``sample_*`` function is jittable, vmappable and GPU-ready, takes the random key
first and returns ``(rt, response)`` (``sample_softmax``: the chosen option).
:func:`hierax.simulate_data` makes a pandas data set from any family.

Examples
--------
>>> import jax
>>> rt, response = sample_ddm(jax.random.key(0), 1.0, 1.0, 0.5, 0.3, shape=(4,))
>>> rt.shape, response.shape
((4,), (4,))
"""

from hierax.simulators.ddm import sample_ddm
from hierax.simulators.lba import sample_lba
from hierax.simulators.poisson_race import sample_poisson_race
from hierax.simulators.racing_diffusion import sample_racing_diffusion
from hierax.simulators.softmax import sample_softmax

__all__ = [
    "sample_ddm",
    "sample_lba",
    "sample_poisson_race",
    "sample_racing_diffusion",
    "sample_softmax",
]
