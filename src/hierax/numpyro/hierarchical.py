"""Hierarchical (partially pooled) parameters for hand-written NumPyro models.

A hierarchical parameter has one value per group (participant, item, ...),
drawn from a common group-level distribution,

.. math::

    \\theta_g \\sim \\mathrm{Normal}(\\mu, \\sigma), \\qquad g = 1, \\dots, G,

with priors on the group mean :math:`\\mu` and the group standard deviation
:math:`\\sigma`. :func:`hierarchical` writes the sample sites for this inside
any NumPyro model, either *non-centred* (the default,
:math:`\\theta_g = \\mu + \\sigma\\,\\epsilon_g`, :math:`\\epsilon_g \\sim
\\mathrm{Normal}(0, 1)`), which removes the funnel geometry that makes NUTS
diverge when groups carry little information, or *centred* (sampling
:math:`\\theta_g` directly).

Group ids are converted to integer codes on the host, once, by
:class:`GroupIndex`: Python lists, NumPy and JAX arrays, strings, pandas Series
and Categoricals are all accepted, so a model never indexes a JAX array with a
Python list. The index keeps the group labels for arviz coordinates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import numpyro
import numpyro.distributions as dist
import pandas as pd

__all__ = ["GroupIndex", "HierarchicalParam", "hierarchical"]

#: Dimension (and plate) name used for an index whose values carry no name.
DEFAULT_GROUP_DIM = "group"

#: How many offending entries an error message lists before it stops.
_MAX_LISTED = 5


def _listing(items: Sequence[Any]) -> str:
    """A short, human-readable listing of the first few ``items``."""
    shown = ", ".join(repr(x) for x in list(items)[:_MAX_LISTED])
    return shown + (", ..." if len(items) > _MAX_LISTED else "")


@dataclass(frozen=True, eq=False)
class GroupIndex:
    """Integer group codes for every observation, plus the group labels.

    Build one with :meth:`GroupIndex.from_values`; it factorizes the group ids
    once, on the host, so the model only ever sees a NumPy integer array.

    Attributes
    ----------
    codes
        Integer code of the group of each observation, shape ``(n_obs,)``,
        values in ``0 .. n_groups - 1`` (read-only).
    labels
        The label of each group, in code order; ``labels[codes[i]]`` is the
        group id of observation ``i``.
    name
        Name of the grouping (for example the pandas Series name
        ``"participant_id"``), or ``None``. Used as the plate name and as the
        arviz dimension name.

    Examples
    --------
    >>> idx = GroupIndex.from_values(["b", "a", "b", "c"])
    >>> idx.codes
    array([1, 0, 1, 2], dtype=int32)
    >>> idx.labels
    ('a', 'b', 'c')
    >>> idx.n_groups, idx.n_obs
    (3, 4)
    """

    codes: np.ndarray
    labels: tuple[Any, ...]
    name: str | None = None

    def __post_init__(self) -> None:
        codes = np.array(self.codes, dtype=np.int32)
        if codes.ndim != 1:
            raise ValueError(f"GroupIndex codes must be 1-D, got shape {codes.shape}.")
        if codes.size and (codes.min() < 0 or codes.max() >= len(self.labels)):
            raise ValueError(
                f"GroupIndex codes must lie in 0..{len(self.labels) - 1} "
                f"(one per label), got values from {codes.min()} to {codes.max()}."
            )
        codes.setflags(write=False)
        object.__setattr__(self, "codes", codes)
        object.__setattr__(self, "labels", tuple(self.labels))

    @classmethod
    def from_values(
        cls,
        values: Any,
        *,
        n_groups: int | None = None,
        name: str | None = None,
    ) -> GroupIndex:
        """Factorize group ids into integer codes and labels.

        Parameters
        ----------
        values
            One group id per observation, 1-D: a list or tuple, a NumPy or JAX
            array, a pandas Series, Index or Categorical. Labels may be
            strings, numbers or any hashable objects; missing values are
            rejected.
        n_groups
            The plate size, if you want to fix it. With integer ids, the ids
            are used as codes directly and must lie in ``0 .. n_groups - 1``
            (groups without observations are allowed). With other labels,
            ``n_groups`` must equal the number of distinct labels (for a
            Categorical: the number of categories). ``None`` (default)
            infers the number of groups from the data.
        name
            Name of the grouping; defaults to the Series' name, if any.

        Returns
        -------
        GroupIndex

        Raises
        ------
        ValueError
            If ``values`` is empty, not 1-D, has missing values, or does not
            match ``n_groups``.

        Notes
        -----
        Labels are sorted (a Categorical keeps the order of its categories,
        including unused ones), so integer ids ``0 .. G-1`` keep their meaning:
        group ``g`` is at position ``g``.

        Examples
        --------
        >>> import pandas as pd
        >>> s = pd.Series([12, 10, 12, 11], name="participant_id")
        >>> idx = GroupIndex.from_values(s)
        >>> idx.codes.tolist(), idx.labels, idx.name
        ([2, 0, 2, 1], (10, 11, 12), 'participant_id')
        >>> GroupIndex.from_values([0, 2, 2], n_groups=4).labels
        (0, 1, 2, 3)
        """
        if isinstance(values, GroupIndex):
            _check_plate_size(values, n_groups)
            return values if name is None else cls(values.codes, values.labels, name)
        if name is None:
            series_name = getattr(values, "name", None)
            name = series_name if isinstance(series_name, str) else None
        if isinstance(values, jax.Array):
            values = np.asarray(values)

        if isinstance(values, pd.Categorical | pd.CategoricalIndex) or (
            isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype)
        ):
            categorical = pd.Categorical(values)
            codes, labels = np.asarray(categorical.codes), categorical.categories.tolist()
            _check_missing(codes, name)
            index = cls(codes, labels, name)
            _check_plate_size(index, n_groups)
            return index

        if isinstance(values, pd.Series):
            series = values
        else:
            try:
                shape = np.shape(values)
            except ValueError:  # ragged nested sequences
                shape = None
            if shape is None or len(shape) != 1:
                raise ValueError(
                    f"Group ids{_named(name)} must be 1-D (one id per observation), "
                    f"got {type(values).__name__} of shape {shape}."
                )
            series = pd.Series(
                values if isinstance(values, np.ndarray | pd.Index) else list(values)
            )
        if series.size == 0:
            raise ValueError(f"Group ids{_named(name)} are empty; need one id per observation.")

        if n_groups is not None and pd.api.types.is_integer_dtype(series.dtype):
            return _integer_codes(cls, series.to_numpy(), n_groups, name)

        codes, uniques = pd.factorize(series, sort=True)
        _check_missing(codes, name)
        index = cls(codes, uniques.tolist(), name)
        _check_plate_size(index, n_groups)
        return index

    @property
    def n_groups(self) -> int:
        """Number of groups (the plate size)."""
        return len(self.labels)

    @property
    def n_obs(self) -> int:
        """Number of observations."""
        return int(self.codes.shape[0])

    @property
    def dim(self) -> str:
        """The arviz dimension name: :attr:`name`, or ``"group"`` if unnamed."""
        return self.name if self.name is not None else DEFAULT_GROUP_DIM

    @property
    def coords(self) -> dict[str, list[Any]]:
        """Coordinates for arviz, ``{dim: labels}``.

        Examples
        --------
        >>> GroupIndex.from_values(["x", "y", "x"], name="item").coords
        {'item': ['x', 'y']}
        """
        return {self.dim: list(self.labels)}

    def dims(self, *params: str) -> dict[str, list[str]]:
        """Dimensions for arviz of the per-group sites of the given parameters.

        For each parameter name ``p`` this maps ``p`` and ``p_offset`` (the
        non-centred site) to ``[dim]``; pass the result as ``dims=`` and
        :attr:`coords` as ``coords=`` to :func:`arviz.from_numpyro`.

        Examples
        --------
        >>> GroupIndex.from_values(["x", "y"], name="item").dims("v")
        {'v': ['item'], 'v_offset': ['item']}
        """
        return {site: [self.dim] for p in params for site in (p, f"{p}_offset")}


def _named(name: str | None) -> str:
    return f" {name!r}" if name else ""


def _where(name: str | None) -> str:
    return f"in {name!r}" if name else "in the group ids"


def _check_missing(codes: np.ndarray, name: str | None) -> None:
    missing = np.flatnonzero(np.asarray(codes) < 0)
    if missing.size:
        raise ValueError(
            f"Group ids{_named(name)} have {missing.size} missing value(s) "
            f"(at positions {_listing(missing.tolist())}); drop or fill those rows first."
        )


def _check_plate_size(index: GroupIndex, n_groups: int | None) -> None:
    if n_groups is not None and n_groups != index.n_groups:
        raise ValueError(
            f"Plate size n_groups={n_groups} does not match the {index.n_groups} groups "
            f"{_where(index.name)} (labels: {_listing(index.labels)}). "
            "Pass n_groups=None to infer it from the data."
        )


def _integer_codes(
    cls: type[GroupIndex], ids: np.ndarray, n_groups: int, name: str | None
) -> GroupIndex:
    """Integer ids used as codes directly, checked against the plate size."""
    outside = np.unique(ids[(ids < 0) | (ids >= n_groups)])
    if outside.size:
        raise ValueError(
            f"Plate size n_groups={n_groups} does not match the data: group id(s) "
            f"{_listing(outside.tolist())}{_named(name)} lie outside 0..{n_groups - 1}. "
            "With n_groups given, integer ids are used as positions; pass n_groups=None "
            "to factorize arbitrary ids (e.g. 1-based participant numbers)."
        )
    return cls(ids, range(n_groups), name)


class HierarchicalParam(NamedTuple):
    """Value of a hierarchical parameter, returned by :func:`hierarchical`.

    Attributes
    ----------
    per_group
        One value per group; the group axis is the plate's dimension
        (the last axis unless the call sits inside other plates).
    per_observation
        ``per_group`` gathered at each observation's group code (the group
        axis replaced by an observation axis of length ``n_obs``), or
        ``None`` when only the number of groups was given.
    """

    per_group: jax.Array
    per_observation: jax.Array | None


def hierarchical(
    name: str,
    group: Any,
    mean_prior: dist.Distribution,
    sd_prior: dist.Distribution,
    *,
    centered: bool = False,
    n_groups: int | None = None,
    plate_name: str | None = None,
    dim: int | None = None,
) -> HierarchicalParam:
    """Sample a normally distributed per-group parameter inside a NumPyro model.

    Creates the sample sites ``{name}_mu`` (group mean) and ``{name}_sigma``
    (group standard deviation) and, under a :class:`numpyro.plate` over the
    groups, either ``{name}_offset`` with ``{name} = mu + offset * sigma``
    recorded as a deterministic site (non-centred, default) or ``{name}``
    sampled as ``Normal(mu, sigma)`` (centred).

    Parameters
    ----------
    name
        Parameter name; prefix of the site names.
    group
        Either the group id of every observation (list, tuple, NumPy or JAX
        array, pandas Series/Categorical, or a :class:`GroupIndex`), or an
        ``int``, the number of groups. Ids are factorized on the host; build
        a :class:`GroupIndex` once outside the model to avoid redoing that at
        every trace and to keep the labels.
    mean_prior
        Prior of the group mean, a NumPyro distribution, e.g.
        ``dist.Normal(0.0, 1.0)``.
    sd_prior
        Prior of the group standard deviation; its support must be positive,
        e.g. ``dist.HalfNormal(1.0)``.
    centered
        ``False`` (default): non-centred parameterisation. ``True``: centred.
    n_groups
        Plate size, if you want it checked against (or, for integer ids, to
        extend beyond) the groups in the data; see
        :meth:`GroupIndex.from_values`.
    plate_name
        Name of the group plate; defaults to the grouping's name (e.g. the
        Series name ``"participant_id"``), else ``"{name}_group"``. Plates
        that share a name must have the same size.
    dim
        Plate dimension (negative). ``None`` (default) takes the rightmost
        dimension not used by enclosing plates, so the helper works inside an
        outer plate.

    Returns
    -------
    HierarchicalParam
        ``(per_group, per_observation)``.

    Raises
    ------
    TypeError
        If a prior is not a NumPyro distribution.
    ValueError
        If ``sd_prior`` has unbounded support, the ids do not match
        ``n_groups``, or ``dim`` is already used by an enclosing plate.

    Examples
    --------
    >>> import jax
    >>> import numpyro
    >>> import numpyro.distributions as dist
    >>> from numpyro.infer import MCMC, NUTS
    >>> participant = ["p1", "p1", "p2", "p2", "p3", "p3"]
    >>> y = jax.numpy.array([0.1, 0.3, 1.2, 0.9, -0.4, -0.2])
    >>> def model(y):
    ...     mean = hierarchical(
    ...         "m", participant, dist.Normal(0.0, 1.0), dist.HalfNormal(1.0)
    ...     ).per_observation
    ...     with numpyro.plate("obs", len(y)):
    ...         numpyro.sample("y", dist.Normal(mean, 0.5), obs=y)
    >>> mcmc = MCMC(NUTS(model), num_warmup=100, num_samples=100, progress_bar=False)
    >>> mcmc.run(jax.random.key(0), y)
    >>> sorted(mcmc.get_samples())
    ['m', 'm_mu', 'm_offset', 'm_sigma']
    >>> mcmc.get_samples()["m"].shape
    (100, 3)
    """
    _check_prior(name, "mean_prior", mean_prior)
    _check_prior(name, "sd_prior", sd_prior)
    _check_positive_support(name, sd_prior)

    if isinstance(group, int | np.integer) and not isinstance(group, bool):
        if group < 1 or (n_groups is not None and n_groups != group):
            raise ValueError(
                f"hierarchical({name!r}): number of groups must be a positive int "
                f"matching n_groups, got group={group}, n_groups={n_groups}."
            )
        index, size = None, int(group)
    else:
        index = GroupIndex.from_values(group, n_groups=n_groups)
        size = index.n_groups
    if plate_name is None:
        named = index is not None and index.name is not None
        plate_name = index.name if named else f"{name}_group"

    mu = numpyro.sample(f"{name}_mu", mean_prior)
    sigma = numpyro.sample(f"{name}_sigma", sd_prior)
    with _group_plate(name, plate_name, size, dim) as plate:
        if centered:
            per_group = numpyro.sample(name, dist.Normal(mu, sigma))
        else:
            offset = numpyro.sample(f"{name}_offset", dist.Normal(0.0, 1.0))
            per_group = numpyro.deterministic(name, mu + offset * sigma)
        group_dim = plate.dim

    per_obs = None
    if index is not None:
        per_group_full = jnp.broadcast_to(
            per_group, _shape_with_group_axis(jnp.shape(per_group), group_dim, size)
        )
        per_obs = jnp.take(per_group_full, jnp.asarray(index.codes), axis=group_dim)
    return HierarchicalParam(per_group, per_obs)


def _check_prior(name: str, arg: str, prior: Any) -> None:
    if not isinstance(prior, dist.Distribution):
        raise TypeError(
            f"hierarchical({name!r}): {arg} must be a NumPyro distribution such as "
            f"dist.Normal(0.0, 1.0), got {type(prior).__name__} {prior!r}."
        )


def _check_positive_support(name: str, sd_prior: dist.Distribution) -> None:
    """Reject sd priors whose support reaches below zero (e.g. ``Normal``)."""
    lower = getattr(sd_prior.support, "lower_bound", None)
    try:
        ok = lower is not None and bool(np.all(np.asarray(lower) >= 0))
    except (TypeError, jax.errors.ConcretizationTypeError):
        return  # a traced bound: cannot be checked here
    if not ok:
        raise ValueError(
            f"hierarchical({name!r}): sd_prior must have positive support (a standard "
            f"deviation), e.g. dist.HalfNormal(1.0); got {type(sd_prior).__name__} "
            f"with support {sd_prior.support}."
        )


class _group_plate:  # noqa: N801 - used like numpyro.plate
    """``numpyro.plate`` that turns a dim clash into a readable ``ValueError``."""

    def __init__(self, param: str, plate_name: str, size: int, dim: int | None) -> None:
        try:
            self.plate = numpyro.plate(plate_name, size, dim=dim)
        except AssertionError as err:
            raise ValueError(
                f"hierarchical({param!r}): plate dim={dim} is already used by an enclosing "
                "plate; pass another dim or dim=None to take the next free one."
            ) from err

    def __enter__(self) -> numpyro.plate:
        self.plate.__enter__()
        return self.plate

    def __exit__(self, *exc: object) -> None:
        self.plate.__exit__(*exc)


def _shape_with_group_axis(shape: tuple[int, ...], axis: int, size: int) -> tuple[int, ...]:
    """``shape`` left-padded to reach ``axis`` and with ``size`` on that axis."""
    ndim = max(len(shape), -axis)
    full = [1] * (ndim - len(shape)) + list(shape)
    full[axis] = size
    return tuple(full)
