import pandas as pd
import pytest

import hierax as hx


def test_list_data_names_cavanagh():
    assert hx.list_data() == ["cavanagh_theta"]


def test_load_cavanagh_matches_its_description():
    data = hx.load_data("cavanagh_theta")
    assert isinstance(data, pd.DataFrame)
    assert data.shape == (3988, 7)
    assert list(data.columns) == [
        "participant_id",
        "stim",
        "rt",
        "response",
        "theta",
        "dbs",
        "conf",
    ]
    assert data["participant_id"].nunique() == 14
    assert set(data["response"].unique()) == {-1.0, 1.0}
    assert set(data["stim"].unique()) == {"WW", "LL", "WL"}
    assert (data["rt"] > 0).all()


def test_unknown_data_set_lists_available_names():
    with pytest.raises(ValueError, match="cavanagh_theta"):
        hx.load_data("cavanagh")
