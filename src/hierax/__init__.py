"""hierax: hierarchical Bayesian models of behaviour on JAX and NumPyro.

Examples
--------
>>> import hierax as hx
>>> data = hx.load_data("cavanagh_theta")
>>> len(data)
3988
"""

from hierax._config import get_floatX, set_floatX
from hierax.datasets import list_data, load_data
from hierax.density import logp
from hierax.families import Family, get_family, list_families, make_family, register_family
from hierax.inference.devices import configure_cpu_devices, device_count, set_host_device_count
from hierax.model import Model
from hierax.numpyro import print_summary
from hierax.plots import (
    plot_forest,
    plot_posterior,
    plot_posterior_predictive,
    plot_quantile_probability,
    plot_trace,
)
from hierax.results.compare import compare
from hierax.results.io import load_model as load
from hierax.simulate import simulate_data
from hierax.spec import Link, Param, Prior

__version__ = "0.1.0"

#: HSSM's name for :class:`Model`: ``hssm.HSSM(data, model="ddm", ...)`` runs as is.
HSSM = Model

# One CPU device per chain, so that chains run in parallel (hierax.inference.devices).
configure_cpu_devices()

__all__ = [
    "__version__",
    "Family",
    "HSSM",
    "Link",
    "Model",
    "Param",
    "Prior",
    "compare",
    "device_count",
    "get_family",
    "get_floatX",
    "list_families",
    "list_data",
    "load",
    "load_data",
    "logp",
    "make_family",
    "plot_forest",
    "print_summary",
    "plot_posterior",
    "register_family",
    "plot_posterior_predictive",
    "plot_quantile_probability",
    "plot_trace",
    "set_floatX",
    "simulate_data",
    "set_host_device_count",
]
