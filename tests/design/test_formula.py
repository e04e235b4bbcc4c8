import numpy as np
import pandas as pd
import pytest

from hierax.design import make_design

DATA = pd.DataFrame(
    {
        "x": [0.5, -1.0, 2.0, 0.0, 1.5, -0.5],
        "cond": ["lo", "hi", "lo", "hi", "mid", "mid"],
        "g": [3, 1, 3, 2, 1, 2],
        "h": ["p", "p", "q", "q", "p", "q"],
    }
)


def test_intercept_and_slope_columns():
    d = make_design("v", "1 + x", DATA)
    np.testing.assert_array_equal(d.X, np.column_stack([np.ones(6), DATA["x"]]))
    assert [t.name for t in d.common] == ["Intercept", "x"]


def test_categorical_treatment_coding_by_hand():
    d = make_design("v", "C(cond)", DATA)
    # levels sorted: hi (reference), lo, mid
    expected = np.column_stack(
        [np.ones(6), (DATA["cond"] == "lo").astype(float), (DATA["cond"] == "mid").astype(float)]
    )
    np.testing.assert_array_equal(d.X, expected)
    assert d.common[1].labels == ("lo", "mid")


def test_cell_means_without_intercept():
    d = make_design("mu", "0 + C(cond)", DATA)
    expected = np.column_stack([(DATA["cond"] == lv).astype(float) for lv in ("hi", "lo", "mid")])
    np.testing.assert_array_equal(d.X, expected)


def test_interaction_and_star():
    d = make_design("v", "x*C(h)", DATA)
    q = (DATA["h"] == "q").astype(float)
    expected = np.column_stack([np.ones(6), DATA["x"], q, DATA["x"] * q])
    np.testing.assert_array_equal(d.X, expected)
    assert [t.name for t in d.common] == ["Intercept", "x", "C(h)", "x:C(h)"]


def test_group_terms_are_indices_and_values_not_dense_matrices():
    d = make_design("v", "1 + (1 + x|g)", DATA)
    names = [t.name for t in d.group]
    assert names == ["1|g", "x|g"]
    intercept, slope = d.group
    assert intercept.levels == (1, 2, 3)  # original integer labels, sorted
    np.testing.assert_array_equal(intercept.index, [2, 0, 2, 1, 0, 1])
    np.testing.assert_array_equal(intercept.values[:, 0], np.ones(6))
    np.testing.assert_array_equal(slope.values[:, 0], DATA["x"])
    np.testing.assert_array_equal(slope.index, intercept.index)


def test_nested_and_several_grouping_factors():
    d = make_design("v", "1 + (1|h/g)", DATA)
    assert [t.name for t in d.group] == ["1|h", "1|h:g"]
    assert d.group[1].factor == "h:g"
    combos = [f"{h}:{g}" for h, g in zip(DATA["h"], DATA["g"], strict=True)]
    labels = [d.group[1].levels[i] for i in d.group[1].index]
    assert labels == combos


def test_errors_name_the_column():
    with pytest.raises(ValueError, match="column 'y'.*not in the data"):
        make_design("v", "1 + y", DATA)
    dates = DATA.assign(when=pd.Timestamp("2026-01-01"))
    with pytest.raises(ValueError, match="'when'.*neither as numbers nor as categories"):
        make_design("v", "1 + when", dates)


def test_string_columns_are_categorical_without_c():
    """As in bambi: ``v ~ 1 + cond`` for a string column is ``v ~ 1 + C(cond)``."""
    plain, explicit = make_design("v", "1 + cond", DATA), make_design("v", "1 + C(cond)", DATA)
    np.testing.assert_array_equal(plain.X, explicit.X)
    assert plain.common[1].labels == explicit.common[1].labels
    with_nan = DATA.assign(x=[0.5, np.nan, 2.0, 0.0, 1.5, -0.5])
    with pytest.raises(ValueError, match="'x'.*missing values"):
        make_design("v", "1 + x", with_nan)


def test_single_level_grouping_warns():
    one = DATA.assign(g=1)
    with pytest.warns(UserWarning, match="'g'.*single level"):
        make_design("v", "1 + (1|g)", one)
