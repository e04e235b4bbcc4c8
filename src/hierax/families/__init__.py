"""Registered model families and their parameter tables.

Examples
--------
>>> list_families()[:3]
['bernoulli', 'binomial', 'ddm']
"""

from __future__ import annotations

from hierax.families.base import Family, ParamInfo
from hierax.families.glm import GLM_FAMILIES
from hierax.families.ssm import SSM_FAMILIES

__all__ = ["Family", "ParamInfo", "get_family", "list_families"]

_REGISTRY: dict[str, Family] = {**SSM_FAMILIES, **GLM_FAMILIES}


def list_families() -> list[str]:
    """Names accepted by ``hx.Model(model=...)``, sorted."""
    return sorted(_REGISTRY)


def get_family(name: str | Family) -> Family:
    """The family registered under ``name`` (a Family passes through).

    Raises
    ------
    ValueError
        For an unknown name; the message lists the registered ones.
    """
    if isinstance(name, Family):
        return name
    if name not in _REGISTRY:
        raise ValueError(f"Unknown model {name!r}. Available models: {', '.join(list_families())}.")
    return _REGISTRY[name]
