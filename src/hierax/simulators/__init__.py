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

__all__ = ["sample_ddm"]
