"""numkit.stat's public statistics given dask arrays: they return the numkit.dask
result, equal to the in-memory call on the same data; numpy input never imports dask.

Tolerance: both sides sum the same n ≤ 4e4 terms, the in-memory kernel in fixed
chunks and the dask side in blocks merged pairwise (Chan et al.); each result is
within c·eps·log2(n)·Σ|term| of the exact one (Higham, Accuracy and Stability, §4.2),
log2(4e4) < 16, c ≈ 8, so the two differ by less than 2·8·16·eps ≈ 6e-14 relative on
these well-conditioned data (normal around 3, condition of the sums ≈ 1); 1e-12
leaves a margin. Quantiles and histogram counts are exact on both sides.
"""

import inspect
import pickle
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("dask", exc_type=ImportError)
import dask  # noqa: E402
import dask.array as da  # noqa: E402

from numkit import dask as nkd  # noqa: E402
from numkit import stat  # noqa: E402
from numkit.dask import is_dask_array  # noqa: E402
from numkit.errors import ShapeError  # noqa: E402
from numkit.mat import SymDense  # noqa: E402
from numkit.stat._dispatch import _with_note, dask_dispatch  # noqa: E402

RTOL = 1e-12
N = 40_000
CHUNK = 7_001       # uneven last block


@pytest.fixture(autouse=True)
def _synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


def _data(seed: int = 1):
    rng = np.random.default_rng(seed)
    x = rng.normal(3.0, 2.0, N)
    y = 0.5 * x + rng.normal(0.0, 1.0, N)
    w = rng.uniform(0.0, 3.0, N)
    X = np.column_stack([x, y, rng.lognormal(0.0, 0.5, N), rng.uniform(-1.0, 1.0, N)])
    return x, y, w, X


def _dx(a):
    return da.from_array(a, chunks=(CHUNK,) + a.shape[1:])


# name, call(f, x, y, X, w) with the data as given (numpy or dask), uses weights
CASES = [
    ("mean", lambda f, x, y, X, w: f(x, w)),
    ("variance", lambda f, x, y, X, w: f(x, w)),
    ("std_dev", lambda f, x, y, X, w: f(x, weights=w)),
    ("mean_variance", lambda f, x, y, X, w: f(x, w)),
    ("skew", lambda f, x, y, X, w: f(x, w)),
    ("ex_kurtosis", lambda f, x, y, X, w: f(x, w)),
    ("moment", lambda f, x, y, X, w: f(x, 3, w)),
    ("moment", lambda f, x, y, X, w: f(x, 2.5, weights=w)),
    ("histogram", lambda f, x, y, X, w: f(x, np.linspace(-20.0, 20.0, 41), w)),
    ("histogram", lambda f, x, y, X, w: f(x, 25, weights=w)),
    ("covariance_matrix", lambda f, x, y, X, w: f(X, w)),
    ("correlation_matrix", lambda f, x, y, X, w: f(X, weights=w)),
    ("covariance", lambda f, x, y, X, w: f(x, y, w)),
    ("correlation", lambda f, x, y, X, w: f(x, y, w)),
    ("quantile", lambda f, x, y, X, w: f(x, [0.1, 0.5, 0.9], "linear")),
    ("quantile", lambda f, x, y, X, w: f(x, 0.25, weights=w)),
    ("median", lambda f, x, y, X, w: f(x)),
    ("median", lambda f, x, y, X, w: f(x, w)),
]
IDS = [f"{name}-{i}" for i, (name, _) in enumerate(CASES)]


def _values(r) -> np.ndarray:
    if isinstance(r, tuple):
        return np.concatenate([np.ravel(np.asarray(v, dtype=np.float64)) for v in r])
    return np.ravel(np.asarray(r, dtype=np.float64))


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize(("name", "call"), CASES, ids=IDS)
def test_dask_input_matches_memory(name, call, weighted, monkeypatch):
    x, y, w, X = _data()
    w = w if weighted else None
    f = getattr(stat, name)
    expected = call(f, x, y, X, w)
    calls = []
    real = getattr(nkd, name)
    monkeypatch.setattr(nkd, name, lambda *a, **k: calls.append(1) or real(*a, **k))
    got = call(f, _dx(x), _dx(y), _dx(X), None if w is None else _dx(w))
    assert calls == [1]     # numkit.dask did the work (np.asarray would also agree)
    assert type(got) is type(expected)
    np.testing.assert_allclose(_values(got), _values(expected), rtol=RTOL, atol=0.0)


@pytest.mark.parametrize(("name", "call"), CASES[:8], ids=IDS[:8])
def test_dask_weights_with_numpy_data(name, call, monkeypatch):
    """Dask weights alone also send the call to numkit.dask (x is wrapped there)."""
    x, y, w, X = _data(2)
    f = getattr(stat, name)
    expected = call(f, x, y, X, w)
    calls = []
    real = getattr(nkd, name)
    monkeypatch.setattr(nkd, name, lambda *a, **k: calls.append(is_dask_array(k["weights"]))
                        or real(*a, **k))
    got = call(f, x, y, X, _dx(w))
    assert calls == [True]
    np.testing.assert_allclose(_values(got), _values(expected), rtol=RTOL, atol=0.0)


def test_dispatch_goes_to_numkit_dask(monkeypatch):
    seen = []
    real = nkd.mean
    monkeypatch.setattr(nkd, "mean", lambda *a, **k: seen.append(k) or real(*a, **k))
    x = np.arange(10.0)
    assert stat.mean(_dx(x), nan_policy="omit") == 4.5
    assert len(seen) == 1 and is_dask_array(seen[0]["x"])
    assert {k: v for k, v in seen[0].items() if k != "x"} == {"weights": None,
                                                              "nan_policy": "omit"}
    assert stat.mean(x) == 4.5 and len(seen) == 1     # numpy input: in memory


@pytest.mark.parametrize("out", [SymDense(), SymDense(4)], ids=["empty", "4x4"])
def test_covariance_matrix_fills_receiver(out):
    _, _, w, X = _data(3)
    got = stat.covariance_matrix(_dx(X), _dx(w), out)
    assert got is out
    np.testing.assert_allclose(np.asarray(out), np.asarray(stat.covariance_matrix(X, w)),
                               rtol=RTOL, atol=0.0)


def test_receiver_errors_before_computing():
    X = _dx(_data(3)[3])
    with pytest.raises(ShapeError, match="covariance_matrix"):
        stat.covariance_matrix(X, out=SymDense(3))
    with pytest.raises(TypeError, match=r"stat\.correlation_matrix: out must be"):
        stat.correlation_matrix(X, None, np.zeros((4, 4)))


def test_assume_sorted_is_ignored_for_dask():
    x = np.sort(_data(4)[0])
    assert stat.quantile(_dx(x), 0.3, assume_sorted=True) == stat.quantile(x, 0.3)


def test_errors_name_the_public_function():
    x = _dx(np.arange(10.0))
    with pytest.raises(ValueError, match=r"'nan_policy' parameter of stat\.variance"):
        stat.variance(x, nan_policy="drop")
    with pytest.raises(TypeError, match=r"mean\(\) got an unexpected keyword argument 'bogus'"):
        stat.mean(x, bogus=1)
    with pytest.raises(TypeError, match=r"mean\(\) takes from 1 to 2 positional arguments"):
        stat.mean(x, None, "omit")


def test_dispatch_refuses_star_parameters():
    def f(*values):
        return values

    with pytest.raises(TypeError, match=r"dask_dispatch: f has parameters of kinds "
                                        r"\['VAR_POSITIONAL'\]"):
        dask_dispatch(f)


NAMES = ["mean", "variance", "std_dev", "mean_variance", "skew", "ex_kurtosis", "moment",
         "histogram", "covariance_matrix", "correlation_matrix", "covariance",
         "correlation", "quantile", "median"]


@pytest.mark.parametrize("name", NAMES)
def test_wrapper_keeps_identity(name):
    f = getattr(stat, name)
    inner = f.__wrapped__
    assert f.__name__ == inner.__name__ == name
    assert f.__module__ == "numkit.stat" and inner.__module__.startswith("numkit.stat._")
    assert pickle.loads(pickle.dumps(f)) is f        # found by module and name
    assert inspect.signature(f) == inspect.signature(inner)
    assert f.__doc__.startswith(inner.__doc__.split("\n\n")[0])
    assert f"numkit.dask.{name}" in f.__doc__ and "Dask arrays are accepted" in f.__doc__
    # the note sits in Notes, and Examples stay last and intact
    doc = f.__doc__
    assert doc.index("Notes\n") < doc.index("Dask arrays are accepted")
    assert inner.__doc__[inner.__doc__.index("Examples"):] in doc


def test_numpy_input_never_imports_dask():
    code = ("import sys; import numkit.stat; import numpy as np; numkit.stat.mean([1, 2]);"
            "numkit.stat.covariance_matrix(np.eye(3)); numkit.stat.median([3.0, 1.0]);"
            "assert 'dask' not in sys.modules, sorted(m for m in sys.modules if 'dask' in m)")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


NOTE = "    Dask arrays are accepted"
DOCS = [
    ("no-sections", "Mean of x.", "Mean of x.\n\nDask arrays are accepted"),
    ("notes-last", "Mean.\n\n    Notes\n    -----\n    Old.\n    ",
     "Mean.\n\n    Notes\n    -----\n    Old.\n\n" + NOTE),
    ("notes-then-examples", "Mean.\n\n    Notes\n    -----\n    Old.\n\n    Examples\n    "
     "--------\n    >>> 1\n    1\n", "    Old.\n\n" + NOTE),
    ("no-notes-before-references", "Mean.\n\n    Returns\n    -------\n    float\n\n    "
     "References\n    ----------\n    Chan.\n",
     "    float\n\n    Notes\n    -----\n" + NOTE),
    ("no-notes-at-end", "Mean.\n\n    Returns\n    -------\n    float\n",
     "    float\n\n    Notes\n    -----\n" + NOTE),
]


@pytest.mark.parametrize(("doc", "expected"), [d[1:] for d in DOCS], ids=[d[0] for d in DOCS])
def test_note_goes_into_notes(doc, expected):
    out = _with_note(doc, "mean")
    assert expected in out
    assert out.count("Dask arrays are accepted") == 1
    kept = [line for line in out.splitlines() if line.strip()]
    original = [line for line in doc.splitlines() if line.strip()]
    assert [line for line in kept if line in original] == original    # nothing lost
    if "References" in doc:
        assert out.index("Notes") < out.index("References")
