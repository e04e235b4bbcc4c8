"""Building blocks for hand-written NumPyro models.

- :func:`hierarchical` and :class:`GroupIndex`: a partially pooled
  per-group parameter, centred or non-centred, from any kind of group ids.
- :class:`DDM`, :class:`DDMSDV`, :class:`FullDDM`: drift diffusion model
  distributions of ``(rt, response)`` rows, usable with ``obs=``.
- :func:`print_summary` and :func:`summary_table`: the NumPyro posterior
  summary with coordinate labels and the number of divergences.
"""

from hierax.numpyro.distributions import DDM, DDMSDV, FullDDM
from hierax.numpyro.hierarchical import GroupIndex, HierarchicalParam, hierarchical
from hierax.numpyro.summary import print_summary, summary_table

__all__ = [
    "DDM",
    "DDMSDV",
    "FullDDM",
    "GroupIndex",
    "HierarchicalParam",
    "hierarchical",
    "print_summary",
    "summary_table",
]
