"""Plots of data, fits and predictions; each function returns a matplotlib Figure.

- :func:`plot_posterior_predictive`: observed vs predicted RT distributions
  (lower-boundary responses mirrored to negative times), per condition.
- :func:`plot_quantile_probability`: RT quantiles against response
  probability, observed and predicted.
- :func:`plot_trace`, :func:`plot_posterior`, :func:`plot_forest`: ArviZ's
  plots on hierax's variable names, without the ``*_offset`` sites.

No function calls ``plt.show()``; each saves to ``path=`` when given one
(``.png``, ``.svg`` or ``.pdf``).
"""

from hierax.plots.diagnostics import plot_forest, plot_posterior, plot_trace
from hierax.plots.predictive import plot_posterior_predictive
from hierax.plots.quantile_probability import (
    QUANTILES,
    plot_quantile_probability,
    quantile_probability_table,
)

__all__ = [
    "QUANTILES",
    "plot_forest",
    "plot_posterior",
    "plot_posterior_predictive",
    "plot_quantile_probability",
    "plot_trace",
    "quantile_probability_table",
]
