"""LOO comparison prefers the true model; hx.compare takes Models or InferenceData."""

import pytest

import hierax as hx


@pytest.mark.slow
def test_loo_prefers_the_model_with_the_true_covariate(fitted, ddm_data, fit_ddm):
    wrong = fit_ddm(ddm_data, "v ~ 1 + (1|participant_id)")
    table = hx.compare({"with_x": fitted, "without_x": wrong.traces}, quiet=True)
    assert table.index[0] == "with_x"
    # the true model wins by a clear margin: more than two standard errors of the difference
    assert table.loc["without_x", "elpd_diff"] > 2 * table.loc["without_x", "dse"]


def test_compare_errors(fitted, ddm_data):
    with pytest.raises(ValueError, match="at least two"):
        hx.compare({"m": fitted})
    unfitted = hx.Model(ddm_data, p_outlier=None)
    with pytest.raises(ValueError, match="'u' has not been fitted"):
        hx.compare({"m": fitted, "u": unfitted})
    with pytest.raises(TypeError, match="'x' is a int"):
        hx.compare({"m": fitted, "x": 3})
