"""Inference: NUTS, variational inference (ADVI) and MAP, with checked initial values."""

from hierax.inference.devices import device_count, set_host_device_count
from hierax.inference.initial import check_initial_values, initial_values, validate_initvals
from hierax.inference.map import run_map
from hierax.inference.nuts import CHAIN_METHODS, default_chain_method, run_nuts, show_progress
from hierax.inference.vi import VI_METHODS, run_vi

__all__ = [
    "CHAIN_METHODS",
    "VI_METHODS",
    "check_initial_values",
    "default_chain_method",
    "device_count",
    "initial_values",
    "run_map",
    "run_nuts",
    "run_vi",
    "set_host_device_count",
    "show_progress",
    "validate_initvals",
]
