"""Data sets shipped with hierax.

Each data set is a CSV file inside the package (``hierax/data``); the
``README.md`` beside the files gives their sources and citations.

Examples
--------
>>> import hierax as hx
>>> "cavanagh_theta" in hx.list_data()
True
>>> hx.load_data("cavanagh_theta").shape
(3988, 7)
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

__all__ = ["list_data", "load_data"]

_DATA_PACKAGE = "hierax.data"


def _data_files() -> dict[str, resources.abc.Traversable]:
    folder = resources.files(_DATA_PACKAGE)
    return {
        entry.name.removesuffix(".csv"): entry
        for entry in folder.iterdir()
        if entry.name.endswith(".csv")
    }


def list_data() -> list[str]:
    """Names of the data sets that :func:`load_data` accepts, sorted.

    Examples
    --------
    >>> list_data()
    ['cavanagh_theta']
    """
    return sorted(_data_files())


def load_data(name: str) -> pd.DataFrame:
    """Load a bundled data set as a trial-level DataFrame.

    Parameters
    ----------
    name
        One of :func:`list_data`, e.g. ``"cavanagh_theta"`` (Cavanagh et al.,
        2011, Nature Neuroscience 14, 1462-1467: 3988 trials of 14 participants
        with columns participant_id, stim, rt, response, theta, dbs, conf).

    Returns
    -------
    pandas.DataFrame
        One row per trial.

    Raises
    ------
    ValueError
        If ``name`` is not a bundled data set; the message lists the names.

    Examples
    --------
    >>> data = load_data("cavanagh_theta")
    >>> sorted(data["response"].unique().tolist())
    [-1.0, 1.0]
    """
    files = _data_files()
    if name not in files:
        raise ValueError(
            f"Unknown data set {name!r}. Available data sets: {', '.join(sorted(files))}."
        )
    with files[name].open("r") as handle:
        return pd.read_csv(handle)
