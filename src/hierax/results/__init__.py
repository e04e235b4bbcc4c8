"""Results: InferenceData, diagnostics, predictive checks, predictions, comparison, save/load."""

from hierax.results.compare import compare
from hierax.results.diagnostics import diagnose, warn_diagnostics
from hierax.results.idata import from_samples, pointwise_log_likelihood, to_inference_data
from hierax.results.io import load_model, save_model
from hierax.results.predict import predict_params
from hierax.results.predictive import posterior_predictive, prior_predictive

__all__ = [
    "compare",
    "diagnose",
    "from_samples",
    "load_model",
    "pointwise_log_likelihood",
    "posterior_predictive",
    "predict_params",
    "prior_predictive",
    "save_model",
    "to_inference_data",
    "warn_diagnostics",
]
