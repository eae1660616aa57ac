"""Accuracy against the NIST StRD univariate summary statistics (mean, standard
deviation, lag-1 autocorrelation), scored as the log relative error

    LRE = -log10(|x - c| / |c|)   (15 when x == c; capped at 15),

the number of correct significant digits. numpy's LRE is recorded beside numkit's;
``lre_table()`` returns the rows for the README, and ``pytest -s`` prints them.

What binary64 allows: the certified values belong to the *decimal* data. Parsed into
doubles, NumAcc3/NumAcc4 (1e6 or 1e7 + multiples of 0.1), Mavro and Michelso are no
longer those numbers, and the exact statistics of the doubles (computed here with
``fractions.Fraction``) agree with the certified values to only 8.3-13.9 digits (the
std of NumAcc4 as stored in doubles is 0.1000000005..., so numpy's 8.3 there is exact,
not an error). So each statistic is held to two requirements:

* LRE >= 14 against the exact (Fraction) statistic of the doubles, on all nine sets:
  the algorithm loses at most one digit of what the data carry;
* LRE >= 14 against the certified value wherever the doubles themselves allow it
  (their exact statistic reaches LRE >= 14.5).

Data: ``../shared/data/nist-strd/`` relative to the repository when present, else the
copy in ``tests/data/nist-strd/``. Certified values are read from each file's header.
"""

from __future__ import annotations

import functools
import math
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from numkit.stat._descriptive import autocorrelation, mean, std_dev

_REPO = Path(__file__).resolve().parents[2]
_SHARED = _REPO.parent / "shared" / "data" / "nist-strd"
DATA_DIR = _SHARED if _SHARED.is_dir() else _REPO / "tests" / "data" / "nist-strd"

DATASETS = ["PiDigits", "Lottery", "Lew", "Mavro", "Michelso",
            "NumAcc1", "NumAcc2", "NumAcc3", "NumAcc4"]
STATISTICS = ["mean", "std_dev", "autocorr_lag1"]

# 15: the cap of NIST's scoring (certified values carry 15 significant digits)
LRE_CAP = 15.0
# required digits of agreement for numkit
LRE_REQUIRED = 14.0

_CERTIFIED = {
    "mean": r"Sample Mean\s+ybar:\s+(\S+)",
    "std_dev": r"Sample Standard Deviation.*?s:\s+(\S+)",
    "autocorr_lag1": r"Sample Autocorrelation Coefficient.*?r\(1\):\s+(\S+)",
}


def load(name: str) -> tuple[np.ndarray, dict[str, float]]:
    """Data (lines 61 to the end) and certified values of one StRD univariate file."""
    lines = (DATA_DIR / f"{name}.dat").read_text().splitlines()
    header = "\n".join(lines[:60])
    certified = {stat: float(re.search(pattern, header).group(1))
                 for stat, pattern in _CERTIFIED.items()}
    data = np.array([float(v) for v in lines[60:] if v.strip()])
    n = int(re.search(r"Data\s*:\s*lines\s+61\s+to\s+\d+\s+\(=\s*(\d+)\)", header).group(1))
    assert data.shape == (n,), f"{name}: read {data.shape[0]} values, header says {n}"
    return data, certified


def lre(x: float, c: float) -> float:
    """Log relative error of x against the certified c (log absolute error if c == 0)."""
    if x == c:
        return LRE_CAP
    if not math.isfinite(x):
        return 0.0
    err = abs(x - c) / abs(c) if c != 0 else abs(x)
    return max(0.0, min(LRE_CAP, -math.log10(err)))


def _numkit(stat: str, x: np.ndarray) -> float:
    if stat == "mean":
        return mean(x)
    if stat == "std_dev":
        return std_dev(x)
    return autocorrelation(x, 1)


def _numpy(stat: str, x: np.ndarray) -> float:
    if stat == "mean":
        return float(np.mean(x))
    if stat == "std_dev":
        return float(np.std(x, ddof=1))
    d = x - x.mean()
    return float(np.sum(d[:-1] * d[1:]) / np.sum(d * d))


def lre_table() -> list[tuple[str, str, float, float]]:
    """Rows (dataset, statistic, numkit LRE, numpy LRE) for every set and statistic."""
    rows = []
    for name in DATASETS:
        x, certified = load(name)
        for stat in STATISTICS:
            c = certified[stat]
            rows.append((name, stat, round(lre(_numkit(stat, x), c), 1),
                         round(lre(_numpy(stat, x), c), 1)))
    return rows


@functools.cache
def exact(name: str, stat: str) -> float:
    """The statistic of the binary64 data computed exactly (Fraction), then rounded."""
    x, _ = load(name)
    fx = [Fraction(v) for v in x.tolist()]
    n = len(fx)
    mu = sum(fx) / n
    if stat == "mean":
        return float(mu)
    d = [v - mu for v in fx]
    ss = sum(v * v for v in d)
    if stat == "std_dev":
        return math.sqrt(ss / (n - 1))   # one rounding of an exact ratio: < 1 ulp
    return float(sum(d[i] * d[i + 1] for i in range(n - 1)) / ss)


CASES = [(name, stat) for name in DATASETS for stat in STATISTICS]
IDS = [f"{name}-{stat}" for name, stat in CASES]


@pytest.mark.parametrize(("name", "stat"), CASES, ids=IDS)
def test_lre_against_exact_arithmetic(name, stat):
    x, _ = load(name)
    got = _numkit(stat, x)
    assert lre(got, exact(name, stat)) >= LRE_REQUIRED, (name, stat, got, exact(name, stat))


@pytest.mark.parametrize(("name", "stat"), CASES, ids=IDS)
def test_lre_against_certified(name, stat):
    x, certified = load(name)
    attainable = lre(exact(name, stat), certified[stat])
    got = lre(_numkit(stat, x), certified[stat])
    if attainable >= LRE_REQUIRED + 0.5:
        assert got >= LRE_REQUIRED, (name, stat, got)
    else:
        # the doubles cannot carry 14 digits of the decimal data's statistic; numkit
        # must still reach what they carry (to the 14 digits checked above)
        assert got >= attainable - 0.3, (name, stat, got, attainable)


def test_numacc4_std_is_limited_by_the_data_not_the_algorithm():
    x, certified = load("NumAcc4")
    assert lre(exact("NumAcc4", "std_dev"), certified["std_dev"]) < 9.0
    # numpy is not worse than the data here, but its mean-then-deviations autocorrelation
    # loses digits that numkit keeps
    assert lre(_numkit("autocorr_lag1", x), exact("NumAcc4", "autocorr_lag1")) >= 14.0


def test_lre_scoring():
    assert lre(1.0, 1.0) == LRE_CAP
    assert lre(1.0 + 1e-10, 1.0) == pytest.approx(10.0, abs=1e-3)
    assert lre(math.nan, 1.0) == 0.0
    assert lre(1e-20, 0.0) == LRE_CAP


def test_data_found():
    assert (DATA_DIR / "NumAcc4.dat").is_file()
    x, certified = load("NumAcc4")
    assert certified == {"mean": 10000000.2, "std_dev": 0.1, "autocorr_lag1": -0.999}


def test_print_table():
    rows = lre_table()
    assert len(rows) == len(DATASETS) * len(STATISTICS)
    print()
    print(f"{'dataset':<10} {'statistic':<14} {'numkit':>6} {'numpy':>6} {'exact':>6}")
    for name, stat, ours, theirs in rows:
        best = lre(exact(name, stat), load(name)[1][stat])
        print(f"{name:<10} {stat:<14} {ours:>6.1f} {theirs:>6.1f} {best:>6.1f}")
    print("exact: LRE of the exact statistic of the data as binary64 (the attainable)")
