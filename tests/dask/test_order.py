"""numkit.dask quantile and median against the in-memory numkit.stat calls: exact
equality (the same order statistics, then the same interpolation code)."""

import math

import numpy as np
import pytest

pytest.importorskip("dask", exc_type=ImportError)
import dask  # noqa: E402
import dask.array as da  # noqa: E402

from numkit import dask as nkd  # noqa: E402
from numkit import stat  # noqa: E402
from numkit.dask import _order  # noqa: E402


@pytest.fixture(autouse=True)
def _synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


@pytest.fixture(autouse=True)
def _small_gather(monkeypatch):
    """Test-sized data fit under the real gather limit (65536) without narrowing; a
    limit of 300 makes every test run the counting passes."""
    monkeypatch.setattr(_order, "GATHER", 300)


def _data(kind: str, n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    return {
        "uniform": lambda: rng.uniform(-1.0, 1.0, n),
        "normal": lambda: rng.normal(0.0, 1.0, n),
        "lognormal-heavy": lambda: rng.lognormal(0.0, 3.0, n),
        "ties": lambda: rng.integers(0, 5, n).astype(np.float64),
        "signed-zeros": lambda: rng.choice([-0.0, 0.0, 1.0, -1.0], n),
        "with-inf": lambda: np.concatenate([rng.normal(size=n - 2), [np.inf, -np.inf]]),
        "float32": lambda: rng.normal(size=n).astype(np.float32),
        "int": lambda: rng.integers(-10**6, 10**6, n),
    }[kind]()


KINDS = ["uniform", "normal", "lognormal-heavy", "ties", "signed-zeros", "with-inf",
         "float32", "int"]
P = np.array([0.0, 1e-4, 0.1, 0.25, 0.5, 0.5 + 1e-9, 0.75, 0.999, 1.0])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("qkind", ["empirical", "lininterp", "linear"])
def test_quantile_equals_in_memory(kind, qkind):
    x = _data(kind, 50_003)
    xd = da.from_array(x, chunks=(1, 20_000, 0, 30_002))
    with np.errstate(invalid="ignore"):      # lininterp's t·(-inf) in stat's own code
        np.testing.assert_array_equal(nkd.quantile(xd, P, kind=qkind),
                                      stat.quantile(x, P, kind=qkind))
    assert nkd.quantile(xd, 0.3, kind=qkind) == stat.quantile(x, 0.3, kind=qkind)


@pytest.mark.parametrize("kind", KINDS)
def test_median_equals_in_memory(kind):
    for n in (50_003, 50_004):
        x = _data(kind, n, seed=n)
        assert nkd.median(da.from_array(x, chunks=7_000)) == stat.median(x)


@pytest.mark.parametrize("qkind", ["empirical", "lininterp", "linear"])
def test_weighted_integer_weights_equal_in_memory(qkind):
    """Integer weights sum exactly, so the cumulative weights are bit-identical."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=40_000)
    w = rng.integers(0, 4, x.shape[0]).astype(np.float64)
    xd, wd = da.from_array(x, chunks=6_000), da.from_array(w, chunks=6_000)
    np.testing.assert_array_equal(nkd.quantile(xd, P, kind=qkind, weights=wd),
                                  stat.quantile(x, P, kind=qkind, weights=w))
    assert nkd.median(xd, weights=wd) == stat.median(x, weights=w)


def test_weighted_real_weights_equal_in_memory_off_ties():
    rng = np.random.default_rng(2)
    x = rng.lognormal(0.0, 2.0, 40_000)
    w = rng.uniform(0.0, 1.0, x.shape[0])
    p = rng.uniform(0.0, 1.0, 20)   # random p: no threshold lands on a cumulative weight
    np.testing.assert_array_equal(
        nkd.quantile(da.from_array(x, chunks=5_000), p, weights=da.from_array(w, chunks=5_000)),
        stat.quantile(x, p, weights=w))


def test_narrowing_pass_count_is_small(monkeypatch):
    """Normal data: one counting pass leaves brackets under the real GATHER."""
    monkeypatch.setattr(_order, "GATHER", 1 << 16)
    x = _data("normal", 300_000)
    calls = []
    orig = _order._count_block

    def spy(*args):
        calls.append(1)
        return orig(*args)

    _order._count_block = spy
    try:
        assert nkd.quantile(da.from_array(x, chunks=100_000), [0.1, 0.9]).tolist() == \
            stat.quantile(x, [0.1, 0.9]).tolist()
    finally:
        _order._count_block = orig
    assert len(calls) == 3          # one pass over 3 blocks


def test_small_gather_threshold_forces_many_passes(monkeypatch):
    """With a tiny gather limit the narrowing runs to single keys: still exact."""
    monkeypatch.setattr(_order, "GATHER", 2)
    for kind in ["lognormal-heavy", "ties", "with-inf"]:
        x = _data(kind, 5_001)
        np.testing.assert_array_equal(
            nkd.quantile(da.from_array(x, chunks=700), P, kind="linear"),
            stat.quantile(x, P, kind="linear"))


@pytest.mark.parametrize("policy", ["propagate", "omit"])
def test_nan_policy(policy):
    x = _data("normal", 1_000)
    x[[3, 500]] = np.nan
    xd = da.from_array(x, chunks=100)
    np.testing.assert_array_equal(nkd.quantile(xd, P, nan_policy=policy),
                                  stat.quantile(x, P, nan_policy=policy))
    a, b = nkd.median(xd, nan_policy=policy), stat.median(x, nan_policy=policy)
    assert a == b or (math.isnan(a) and math.isnan(b))


def test_rejections_and_empty():
    x = da.from_array(np.array([1.0, 2.0, np.nan, 4.0]), chunks=2)
    with pytest.raises(ValueError, match=r"x\[2\] is NaN and nan_policy='raise'"):
        nkd.quantile(x, 0.5, nan_policy="raise")
    w = da.from_array(np.array([1.0, 1.0, -1.0, 1.0]), chunks=2)
    with pytest.raises(ValueError, match=r"non-negative; weights\[2\] = -1\.0"):
        nkd.median(da.ones(4, chunks=2), weights=w)
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\]; got 1\.5"):
        nkd.quantile(x, 1.5)
    with pytest.raises(ValueError, match=r"'kind' parameter of stat\.quantile"):
        nkd.quantile(x, 0.5, kind="nearest")
    with pytest.warns(RuntimeWarning, match=r"stat\.quantile: empty input"):
        assert math.isnan(nkd.quantile(da.zeros(0, chunks=1), 0.5))
    with pytest.warns(RuntimeWarning, match=r"stat\.median: empty input"):
        assert math.isnan(nkd.median(da.ones(3, chunks=2), weights=da.zeros(3, chunks=2)))


def test_keys_preserve_order():
    v = np.array([-np.inf, -1e308, -1.0, -5e-324, -0.0, 0.0, 5e-324, 1.0, 1e308, np.inf])
    k = _order._to_keys(v)
    assert np.all(k[1:] >= k[:-1]) and k[4] == k[5]
    assert [_order._from_key(int(i)) for i in k] == v.tolist()
