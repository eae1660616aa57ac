"""numkit.dask moment statistics, covariance and histogram against the in-memory
numkit.stat calls, on the synchronous scheduler.

Tolerances: a blocked, pairwise-merged sum of n terms has error below
c·eps·log2(n)·Σ|term| (Higham, Accuracy and Stability, §4.2); both the in-memory
kernel and the block merge satisfy it, so two results differ by at most twice that.
With n ≤ 2e5 (log2 n < 18) and c ≈ 8 this is below 300·eps·Σ|term| ≈ 7e-14·Σ|term|;
we allow 1e-13 times the magnitude of the terms each statistic sums.
"""

import math
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("dask", exc_type=ImportError)
import dask  # noqa: E402
import dask.array as da  # noqa: E402

from numkit import dask as nkd  # noqa: E402
from numkit import stat  # noqa: E402

TOL = 1e-13


@pytest.fixture(autouse=True)
def _synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


def _data(kind: str, n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    if kind == "normal":
        return rng.normal(3.0, 2.0, n)
    if kind == "offset":          # 1e12 + small spread: the shift must keep its digits
        return 1e12 + rng.uniform(0.0, 1.0, n)
    if kind == "lognormal":
        return rng.lognormal(0.0, 2.0, n)
    if kind == "float32":
        return rng.normal(0.0, 1.0, n).astype(np.float32)
    if kind == "int":
        return rng.integers(-1000, 1000, n)
    raise AssertionError(kind)


DATA = ["normal", "offset", "lognormal", "float32", "int"]
CHUNKS = {
    "one-block": lambda n: n,
    "even": lambda n: n // 8,
    "uneven": lambda n: (1, n // 3, 7, n - n // 3 - 8),
    "empty-blocks": lambda n: (0, n // 2, 0, n - n // 2, 0),
}


def _dask(x, chunks):
    c = CHUNKS[chunks](x.shape[0])
    return da.from_array(x, chunks=(c,) if isinstance(c, tuple) else c)


def _central_abs(x, w, k):
    x = np.asarray(x, dtype=np.float64)
    w = np.ones_like(x) if w is None else w
    m = np.sum(w * x) / np.sum(w)
    return float(np.sum(w * np.abs(x - m) ** k) / np.sum(w))


@pytest.mark.parametrize("chunks", list(CHUNKS), ids=list(CHUNKS))
@pytest.mark.parametrize("kind", DATA, ids=DATA)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_moment_statistics_match_in_memory(kind, chunks, weighted):
    x = _data(kind, 20_011)
    w = np.random.default_rng(1).uniform(0.0, 3.0, x.shape[0]) if weighted else None
    xd = _dask(x, chunks)
    wd = None if w is None else _dask(w, chunks)
    scale1 = _central_abs(x, w, 1) + abs(stat.mean(x, weights=w))
    scale2 = _central_abs(x, w, 2)
    z3 = _central_abs(x, w, 3) / scale2 ** 1.5
    z4 = _central_abs(x, w, 4) / scale2 ** 2
    checks = [
        ("mean", stat.mean, nkd.mean, scale1),
        ("variance", stat.variance, nkd.variance, scale2),
        ("std_dev", stat.std_dev, nkd.std_dev, math.sqrt(scale2)),
        ("skew", stat.skew, nkd.skew, z3),
        ("ex_kurtosis", stat.ex_kurtosis, nkd.ex_kurtosis, z4 + 3.0),
    ]
    for name, ref, got, scale in checks:
        a, b = ref(x, weights=w), got(xd, weights=wd)
        assert abs(a - b) <= TOL * scale, (name, a, b)
    (m1, v1), (m2, v2) = stat.mean_variance(x, weights=w), nkd.mean_variance(xd, weights=wd)
    assert abs(m1 - m2) <= TOL * scale1 and abs(v1 - v2) <= TOL * scale2


@pytest.mark.parametrize("k", [1, 2, 3, 4, 2.5, 5, 0.5], ids=lambda k: f"k={k}")
def test_moment_orders(k):
    x = _data("lognormal", 30_000)
    w = np.random.default_rng(2).uniform(0.0, 1.0, x.shape[0])
    a = stat.moment(x, k, weights=w)
    b = nkd.moment(_dask(x, "uneven"), k, weights=_dask(w, "uneven"))
    if k != int(k):     # (x - mean)^k of a negative deviation is NaN, as math.pow
        assert math.isnan(a) and math.isnan(b)
    else:
        assert abs(a - b) <= TOL * _central_abs(x, w, k)


def test_weights_rechunked_to_match():
    x = _data("normal", 10_000)
    w = np.random.default_rng(3).uniform(0.0, 1.0, x.shape[0])
    a = stat.mean_variance(x, weights=w)
    b = nkd.mean_variance(da.from_array(x, chunks=1000), weights=da.from_array(w, chunks=3333))
    np.testing.assert_allclose(b, a, rtol=TOL)


NAN_CASES = {
    "nan-in-x": (np.array([1.0, 2.0, np.nan, 4.0, 5.0, 6.0]), None),
    "nan-in-weights": (np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
                       np.array([1.0, 1.0, 1.0, np.nan, 1.0, 2.0])),
}


@pytest.mark.parametrize("case", list(NAN_CASES), ids=list(NAN_CASES))
@pytest.mark.parametrize("policy", ["propagate", "omit"])
def test_nan_policy_matches_in_memory(case, policy):
    x, w = NAN_CASES[case]
    xd = da.from_array(x, chunks=2)
    wd = None if w is None else da.from_array(w, chunks=2)
    for ref, got in [(stat.mean, nkd.mean), (stat.variance, nkd.variance),
                     (stat.skew, nkd.skew)]:
        a = ref(x, weights=w, nan_policy=policy)
        b = got(xd, weights=wd, nan_policy=policy)
        assert (math.isnan(a) and math.isnan(b)) or abs(a - b) <= TOL * abs(a), (ref, a, b)


@pytest.mark.parametrize("fn", [nkd.mean, nkd.variance, nkd.skew, nkd.std_dev],
                         ids=lambda f: f.__name__)
def test_nan_raise_names_global_index(fn):
    x = da.from_array(np.array([1.0, 2.0, 3.0, 4.0, np.nan, 6.0]), chunks=2)
    with pytest.raises(ValueError, match=r"x\[4\] is NaN and nan_policy='raise'"):
        fn(x, nan_policy="raise")
    w = da.from_array(np.array([1.0, 1.0, 1.0, np.nan, 1.0, 1.0]), chunks=2)
    with pytest.raises(ValueError, match=r"weights\[3\] is NaN"):
        fn(da.ones(6, chunks=2), weights=w, nan_policy="raise")


def test_negative_weight_names_global_index():
    w = da.from_array(np.array([1.0, 1.0, 1.0, 1.0, -2.0, 1.0]), chunks=2)
    with pytest.raises(ValueError, match=r"must be non-negative; weights\[4\] = -2\.0"):
        nkd.mean(da.ones(6, chunks=2), weights=w)
    with pytest.raises(ValueError, match=r"must be non-negative; weights\[4\]"):
        nkd.covariance_matrix(da.ones((6, 2), chunks=(2, 2)), weights=w)
    with pytest.raises(ValueError, match=r"must be non-negative; weights\[4\]"):
        nkd.histogram(da.ones(6, chunks=2), 3, weights=w)


@pytest.mark.parametrize("bad, exc, match", [
    (lambda: nkd.mean(da.ones(6), weights=da.ones(5)), ValueError,
     r"'weights' parameter of stat\.mean must be a 1-D array of the same length as x \(6\)"),
    (lambda: nkd.mean(da.ones((3, 2))), ValueError, r"'x' parameter of stat\.mean must be 1-D"),
    (lambda: nkd.mean(da.ones(3), nan_policy="skip"), ValueError, r"'nan_policy'.*'skip'"),
    (lambda: nkd.mean(da.from_array(np.array(["a", "b"]))), TypeError, r"real numbers"),
    (lambda: nkd.moment(da.ones(3), "2"), TypeError, r"k must be a real number"),
    (lambda: nkd.moment(da.ones(3), math.inf), ValueError, r"k must be finite"),
    (lambda: nkd.mean(da.ones(4)[da.ones(4) > 0]), ValueError, r"unknown chunk sizes"),
    (lambda: nkd.covariance_matrix(da.ones(4)), ValueError, r"must be 2-D"),
    (lambda: nkd.covariance_matrix(da.ones((1, 3))), ValueError, r"at least 2 observations"),
    (lambda: nkd.covariance(da.ones(4), da.ones(3)), ValueError, r"same length; got 4 and 3"),
    (lambda: nkd.histogram(da.ones(4), 0), ValueError, r"bin count must be at least 1"),
    (lambda: nkd.histogram(da.ones(4), 2.5), TypeError, r"integer bin count or an array"),
    (lambda: nkd.histogram(da.ones(4), [1.0, 0.0]), ValueError, r"strictly increasing"),
], ids=["weights-length", "x-2d", "nan-policy", "strings", "k-type", "k-inf",
        "unknown-chunks", "cov-1d", "cov-one-row", "pair-lengths", "bins-0", "bins-float",
        "dividers-order"])
def test_rejections(bad, exc, match):
    with pytest.raises(exc, match=match):
        bad()


def test_empty_input_warns_like_in_memory():
    with pytest.warns(RuntimeWarning, match=r"stat\.mean: empty input"):
        assert math.isnan(nkd.mean(da.zeros(0, chunks=1)))
    allnan = da.from_array(np.full(5, np.nan), chunks=2)
    with pytest.warns(RuntimeWarning, match=r"stat\.variance: empty input"):
        assert math.isnan(nkd.variance(allnan, nan_policy="omit"))
    with pytest.warns(RuntimeWarning, match=r"empty input"):
        assert all(map(math.isnan, nkd.mean_variance(da.zeros(0, chunks=1))))


@pytest.mark.parametrize("chunks", [(50_000, 4), (7_001, 3), (50_000, 1)],
                         ids=["rows", "rows-and-cols", "cols"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_covariance_and_correlation_match_in_memory(chunks, weighted):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(50_000, 4)) @ rng.normal(size=(4, 4)) + np.array([1e6, 0, -5, 3])
    w = rng.uniform(0.0, 2.0, X.shape[0]) if weighted else None
    Xd = da.from_array(X, chunks=chunks)
    wd = None if w is None else da.from_array(w, chunks=chunks[0])
    C = np.asarray(stat.covariance_matrix(X, weights=w))
    # each entry sums products of centred values: scale sqrt(C_ii C_jj)
    scale = np.sqrt(np.outer(np.diag(C), np.diag(C)))
    assert np.all(np.abs(np.asarray(nkd.covariance_matrix(Xd, weights=wd)) - C) <= TOL * scale)
    R = np.asarray(stat.correlation_matrix(X, weights=w))
    np.testing.assert_allclose(np.asarray(nkd.correlation_matrix(Xd, weights=wd)), R,
                               rtol=0, atol=TOL)
    a, b = stat.covariance(X[:, 0], X[:, 1], weights=w), nkd.covariance(Xd[:, 0], Xd[:, 1],
                                                                       weights=wd)
    assert abs(a - b) <= TOL * scale[0, 1]
    a, b = stat.correlation(X[:, 2], X[:, 3], weights=w), nkd.correlation(Xd[:, 2], Xd[:, 3],
                                                                         weights=wd)
    assert abs(a - b) <= TOL


@pytest.mark.parametrize("p", [3, 8, 20], ids=lambda p: f"p{p}")
def test_covariance_of_fortran_ordered_blocks_matches_in_memory(p):
    # blocks from Parquet are Fortran-ordered; the covariance reads them as they are
    # (p <= 12) or makes them contiguous (wider)
    rng = np.random.default_rng(p)
    X = rng.normal(size=(30_000, p)) + 1e3
    Xd = da.from_array(X, chunks=(7_000, p)).map_blocks(np.asfortranarray)
    layouts = Xd.map_blocks(lambda b: np.array([[b.flags.c_contiguous]]), chunks=(1, 1),
                            dtype=bool).compute()
    assert not layouts.any()  # the tasks see Fortran-ordered blocks
    C = np.asarray(stat.covariance_matrix(X))
    scale = np.sqrt(np.outer(np.diag(C), np.diag(C)))
    assert np.all(np.abs(np.asarray(nkd.covariance_matrix(Xd)) - C) <= TOL * scale)


@pytest.mark.parametrize("policy", ["propagate", "omit"])
def test_covariance_nan_policy(policy):
    X = np.random.default_rng(5).normal(size=(40, 3))
    X[17, 1] = np.nan
    Xd = da.from_array(X, chunks=(6, 3))
    a = np.asarray(stat.covariance_matrix(X, nan_policy=policy))
    b = np.asarray(nkd.covariance_matrix(Xd, nan_policy=policy))
    np.testing.assert_allclose(b, a, rtol=TOL, atol=0)   # NaN positions must agree too
    with pytest.raises(ValueError, match=r"row 17 of X holds NaN"):
        nkd.covariance_matrix(Xd, nan_policy="raise")
    with pytest.raises(ValueError, match=r"pair 17 holds NaN"):
        nkd.covariance(Xd[:, 0], Xd[:, 1], nan_policy="raise")


def test_constant_column_correlation_warns():
    X = np.column_stack([np.arange(10.0), np.full(10, 2.0)])
    with pytest.warns(RuntimeWarning, match=r"zero variance"):
        r = np.asarray(nkd.correlation_matrix(da.from_array(X, chunks=(3, 2))))
    assert np.isnan(r[1, 1]) and r[0, 0] == 1.0
    assert math.isnan(nkd.correlation(da.arange(10.0, chunks=3), da.ones(10, chunks=3)))


@pytest.mark.parametrize("kind", ["normal", "lognormal", "float32", "int"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_histogram_matches_in_memory(kind, weighted):
    x = _data(kind, 30_001)
    w = np.random.default_rng(6).uniform(0.0, 1.0, x.shape[0]) if weighted else None
    xd, wd = _dask(x, "uneven"), (None if w is None else _dask(w, "uneven"))
    counts, edges = stat.histogram(x, 37, weights=w)
    c2, e2 = nkd.histogram(xd, 37, weights=wd)
    np.testing.assert_array_equal(e2, edges)
    # weighted bins add the same weights in another order: n·eps·Σw per bin at most
    np.testing.assert_allclose(c2, counts, rtol=TOL, atol=0)
    d = np.quantile(x.astype(np.float64), [0, 0.1, 0.5, 0.9]).tolist() + [np.inf]
    np.testing.assert_allclose(nkd.histogram(xd, d, weights=wd),
                               stat.histogram(x, d, weights=w), rtol=TOL, atol=0)


def test_histogram_errors_and_nan():
    x = np.array([0.5, 1.0, 1.5, 2.5, np.nan, 7.0])
    xd = da.from_array(x, chunks=2)
    with pytest.raises(ValueError, match=r"x\[5\] = 7\.0 lies outside the dividers"):
        nkd.histogram(xd, [0.0, 1.0, 3.0])
    assert np.isnan(nkd.histogram(xd, [0.0, 1.0, 8.0])).all()
    np.testing.assert_array_equal(nkd.histogram(xd, [0.0, 1.0, 8.0], nan_policy="omit"),
                                  stat.histogram(x, [0.0, 1.0, 8.0], nan_policy="omit"))
    with pytest.raises(ValueError, match=r"x\[4\] is NaN"):
        nkd.histogram(xd, [0.0, 1.0, 8.0], nan_policy="raise")
    with pytest.raises(ValueError, match=r"x\[4\] is NaN"):
        nkd.histogram(xd, 3, nan_policy="raise")
    c, e = nkd.histogram(xd, 3)
    assert np.isnan(c).all() and np.isnan(e).all()
    a, b = nkd.histogram(xd, 3, nan_policy="omit"), stat.histogram(x, 3, nan_policy="omit")
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    with pytest.raises(ValueError, match=r"x\[3\] = inf is infinite"):
        nkd.histogram(da.from_array(np.array([1.0, 2.0, 3.0, np.inf]), chunks=2), 4)
    with pytest.warns(RuntimeWarning, match=r"empty input"):
        c, e = nkd.histogram(da.zeros(0, chunks=1), 2)
    assert np.isnan(c).all()
    c, e = nkd.histogram(da.full(5, 3.0, chunks=2), 2)
    np.testing.assert_array_equal(e, [2.5, 3.0, 3.5])


def test_is_dask_array():
    assert nkd.is_dask_array(da.ones(3))
    assert not nkd.is_dask_array(np.ones(3))
    assert not nkd.is_dask_array([1.0])


def test_only_partials_reach_the_client():
    """The reduction graph's output is one small partial however many blocks there are:
    the client never receives a block of data."""
    x = da.random.default_rng(7).normal(size=1_000_000, chunks=10_000)
    seen = []

    class Spy(dask.callbacks.Callback):
        def _posttask(self, key, result, dsk, state, worker_id):
            seen.append(np.asarray(result, dtype=object).nbytes if isinstance(result, tuple)
                        else getattr(result, "nbytes", 0))

    with Spy():
        nkd.mean_variance(x)
    # the largest task results are the 10_000-value blocks themselves (80 kB); the
    # final result must be the small partial
    assert len(seen) > 100 and seen[-1] < 1000


def test_without_dask_is_dask_array_works_and_statistics_say_what_to_install():
    code = (
        "import sys; sys.modules['dask'] = None; sys.modules['dask.array'] = None\n"
        "import numpy as np, numkit.dask as nkd\n"
        "assert nkd.is_dask_array(np.ones(2)) is False\n"
        "try:\n"
        "    nkd.mean\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "numkit.dask.mean needs dask: pip install 'numkit[dask]'" in out
