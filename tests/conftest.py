"""Test-wide settings.

64-bit floats are enabled for the whole test session so that float64 reference
checks are possible; float32 behaviour is tested with explicitly float32 inputs.
"""

import os

import jax

os.environ.setdefault("MPLBACKEND", "Agg")
jax.config.update("jax_enable_x64", True)
