"""How group terms are sampled (centred, non-centred, level-centred), applied by inference.

A Model's function (:func:`hierax.build.make_model`) samples every group-specific
term in its natural form, ``v_1|participant_id ~ Normal(0, sigma)``. How a
sampler should see that site is a separate choice, made here and applied by
the inference routines with NumPyro's :class:`~numpyro.handlers.reparam`:

* ``"centred"``: the effects themselves are sampled.
* ``"offset"`` (non-centred): ``{site}_offset ~ Normal(0, 1)`` is sampled and
  the effects are ``loc + scale * offset`` (other location-scale priors use
  NumPyro's :class:`~numpyro.infer.reparam.LocScaleReparam`, site
  ``{site}_decentered``).
* ``"level"`` (hierarchical centring, Gelfand, Sahu & Carlin, 1995): for a
  ``(1|g)`` term of a parameter with a sampled ``Intercept`` and a
  ``Normal(0, sigma)`` prior, each level's own value ``{site}_level ~
  Normal(Intercept, sigma)`` is sampled and the effects are ``level -
  Intercept``. The joint density is the same (a shift), but the ridge
  ``Intercept + effect = const`` that a diagonal mass matrix cannot follow is
  gone (measured on cavanagh_theta: docs/performance.md).

NUTS uses the Model's choice (``noncentered=``, per term with ``Param(centered=)``;
a centred term that can be level-centred is). MAP and variational inference always
use ``"offset"``: the centred joint density is unbounded as a group sd goes to zero,
so its mode is degenerate (REVIEW B1).

Examples
--------
>>> import hierax as hx
>>> data = hx.load_data("cavanagh_theta")
>>> m = hx.Model(data, global_formula="y ~ 1 + (1|participant_id)", noncentered=True)
>>> parameterisation(m.resolved).latent_site("v_1|participant_id")
'v_1|participant_id_offset'
>>> parameterisation(m.resolved, noncentred=False).latent_site("v_1|participant_id")
'v_1|participant_id_level'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpyro
import numpyro.distributions as dist
from numpyro import handlers
from numpyro.infer.reparam import LocScaleReparam, Reparam

from hierax.build import INTERCEPT_KEY, GroupPlan, ParamPlan, level_intercept
from hierax.spec.prior import Prior

__all__ = ["FORMS", "Parameterisation", "parameterisation"]

FORMS = ("centred", "offset", "level")


def _base(fn: dist.Distribution) -> dist.Distribution:
    while isinstance(fn, (dist.Independent, dist.ExpandedDistribution)):
        fn = fn.base_dist
    return fn


def _standard_like(fn: dist.Distribution) -> dist.Distribution:
    shape = fn.batch_shape + fn.event_shape
    return dist.Normal(0.0, 1.0).expand(shape).to_event(len(fn.event_shape))


class OffsetReparam(Reparam):
    """``{site}_offset ~ Normal(0, 1)``; the site is ``loc + scale * offset``."""

    def __call__(self, name: str, fn: dist.Distribution, obs: Any):
        base = _base(fn)
        if obs is not None or not isinstance(base, dist.Normal):
            return LocScaleReparam(centered=0)(name, fn, obs)
        offset = numpyro.sample(f"{name}_offset", _standard_like(fn))
        return None, base.loc + base.scale * offset


class LevelReparam(Reparam):
    """``{site}_level ~ Normal(intercept, scale)``; the site is ``level - intercept``."""

    def __init__(self, intercept: Any):
        self.intercept = intercept

    def __call__(self, name: str, fn: dist.Distribution, obs: Any):
        base = _base(fn)
        levels_fn = dist.Normal(self.intercept + base.loc, base.scale)
        levels_fn = levels_fn.expand(fn.batch_shape + fn.event_shape).to_event(fn.event_dim)
        levels = numpyro.sample(f"{name}_level", levels_fn)
        return None, levels - self.intercept


@dataclass(frozen=True)
class Parameterisation:
    """The form (``"centred"``, ``"offset"``, ``"level"``) of each group site.

    ``forms`` holds ``(site, form)`` pairs; :meth:`apply` wraps a model function in
    the matching reparameterisation, :meth:`latent_values` converts values of the
    group effects into values of the sites a sampler sees.
    """

    forms: tuple[tuple[str, str], ...]
    groups: tuple[tuple[ParamPlan, GroupPlan], ...]

    def form(self, site: str) -> str:
        """The form of group site ``site`` (``"centred"`` for any other site)."""
        return dict(self.forms).get(site, "centred")

    def latent_site(self, site: str) -> str:
        """The site a sampler sees for group site ``site``."""
        form = self.form(site)
        return site if form == "centred" else f"{site}_{form}"

    def _config(self, msg: dict) -> Reparam | None:
        form = self.form(msg["name"])
        if form == "offset":
            return OffsetReparam()
        if form == "level":
            return LevelReparam(msg["infer"][INTERCEPT_KEY])
        return None

    def apply(self, model_fn: Callable) -> Callable:
        """``model_fn`` with the group sites reparameterised."""
        if all(form == "centred" for _, form in self.forms):
            return model_fn
        return handlers.reparam(model_fn, config=self._config)

    def latent_values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` with each non-centred or level-centred group effect replaced by its
        offset (``(effect - loc) / scale``) or level (``effect + Intercept``)."""
        out = dict(values)
        for plan, group in self.groups:
            form = self.form(group.site)
            if form == "centred" or group.site not in out:
                continue
            effect = np.asarray(out.pop(group.site), dtype=float)
            if form == "level":
                out[f"{group.site}_level"] = effect + out[level_intercept(plan, group)]
                continue
            hyper = {k: out[f"{group.site}_{k}"] for k in group.prior.hyperpriors}
            d = _base(group.prior.distribution(hyper))
            name = "offset" if isinstance(d, dist.Normal) else "decentered"
            out[f"{group.site}_{name}"] = (effect - np.asarray(d.loc)) / np.asarray(d.scale)
        return out


def _form(plan: ParamPlan, group: GroupPlan, noncentred: bool | None) -> str:
    if not isinstance(group.prior, Prior):
        return "centred"
    prior = group.prior.distribution({k: 1.0 for k in group.prior.hyperpriors})
    if not (hasattr(prior, "loc") and hasattr(prior, "scale")):
        return "centred"
    centred = group.centered if noncentred is None else not noncentred
    if not centred:
        return "offset"
    return "level" if level_intercept(plan, group) is not None else "centred"


def parameterisation(resolved: Any, *, noncentred: bool | None = None) -> Parameterisation:
    """The parameterisation of ``resolved``'s group terms.

    Parameters
    ----------
    resolved
        The resolved specification (``model.resolved``).
    noncentred
        ``None``: the Model's choice per term (what NUTS uses); ``True``: every
        term non-centred (what MAP and VI use); ``False``: every term centred
        (level-centred where it can be).
    """
    groups = tuple((plan, g) for plan in resolved.plans for g in plan.group)
    forms = tuple((g.site, _form(plan, g, noncentred)) for plan, g in groups)
    return Parameterisation(forms=forms, groups=groups)
