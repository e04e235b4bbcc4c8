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
from hierax.families import list_families
from hierax.model import Model
from hierax.spec import Link, Param, Prior

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Link",
    "Model",
    "Param",
    "Prior",
    "get_floatX",
    "list_families",
    "list_data",
    "load_data",
    "set_floatX",
]
