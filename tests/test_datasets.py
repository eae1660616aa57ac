"""numkit.datasets: the bundled data against their sources."""

from pathlib import Path

import numpy as np
import pytest

from numkit import datasets

NIST = Path(__file__).resolve().parents[2] / "shared" / "data" / "nist-strd" / "Longley.dat"


def test_list_datasets():
    assert datasets.list_datasets() == ("faithful", "longley")


@pytest.mark.parametrize("load, shape, names", [
    (datasets.load_longley, (16, 7), ("employment", "gnp_deflator", "gnp", "unemployed",
                                      "armed_forces", "population", "year")),
    (datasets.load_faithful, (272, 2), ("eruptions", "waiting")),
], ids=["longley", "faithful"])
def test_shape_names_and_metadata(load, shape, names):
    d = load()
    assert d.data.shape == shape and d.data.dtype == np.float64
    assert d.names == names
    assert d.description and "\n" not in d.description
    assert d.source and "\n" not in d.source
    assert Path(d.path).is_file()


def test_faithful_matches_r_summary():
    # R: summary(faithful), sd(faithful$eruptions), sd(faithful$waiting); the data are
    # given to 3 decimals / whole minutes, so the printed digits are exact up to rounding
    d = datasets.load_faithful()
    e, w = d.data[:, 0], d.data[:, 1]
    assert d.data.shape[0] == 272
    assert round(e.mean(), 6) == 3.487783
    assert round(w.mean(), 5) == 70.89706
    assert round(e.std(ddof=1), 6) == 1.141371
    assert round(w.std(ddof=1), 6) == 13.594974
    assert (e.min(), e.max(), w.min(), w.max()) == (1.6, 5.1, 43.0, 96.0)
    assert np.median(e) == 4.0 and np.median(w) == 76.0
    np.testing.assert_array_equal(d.data[:3], [[3.6, 79], [1.8, 54], [3.333, 74]])


@pytest.mark.skipif(not NIST.exists(), reason="NIST StRD data not present")
def test_longley_equals_nist_file():
    rows = NIST.read_text().splitlines()[60:76]
    expected = np.array([[float(v) for v in r.split()] for r in rows])
    np.testing.assert_array_equal(datasets.load_longley().data, expected)
