"""numkit's exceptions survive pickling with their attributes (a DataError raised on a
Dask worker reaches the client through pickle)."""

import pickle

import pytest

from numkit.errors import ConditionError, DataError


@pytest.mark.parametrize("kwargs, text", [
    ({"path": "data/a.csv", "line": 7, "column": "weight"},
     "data/a.csv, line 7, column weight: ragged row"),
    ({"path": "b.csv"}, "b.csv: ragged row"),
    ({}, "ragged row"),
], ids=["path-line-column", "path-only", "no-location"])
def test_data_error_round_trips_through_pickle(kwargs, text):
    err = DataError("ragged row", **kwargs)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is DataError
    assert str(back) == str(err) == text
    assert (back.path, back.line, back.column) == (kwargs.get("path"), kwargs.get("line"),
                                                   kwargs.get("column"))
    with pytest.raises(DataError, match=r"^data/a\.csv, line 7"):
        raise pickle.loads(pickle.dumps(DataError("x", path="data/a.csv", line=7)))


def test_condition_error_round_trips_through_pickle():
    err = ConditionError("mat.Dense.solve: condition number 3e+17", 3e17)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is ConditionError
    assert str(back) == str(err)
    assert back.condition == 3e17
