"""The matrix and compute stages against numpy and NIST."""

import numpy as np
import pytest

from numkit import datasets
from numkit.errors import DataError
from numkit.mat import Dense, SymDense
from numkit.pipeline import Pipeline, Table
from numkit.pipeline._compute import compute
from numkit.pipeline._matrix import to_matrix

EPS = np.finfo(np.float64).eps


def table(seed=0, n=200, nan=True):
    rng = np.random.default_rng(seed)
    a = rng.normal(10.0, 2.0, n)
    b = 0.5 * a + rng.normal(0.0, 1.0, n)
    c = rng.exponential(3.0, n)
    if nan:
        a[[3, 50]] = np.nan
        c[7] = np.nan
    text = np.array(["x"] * n, dtype=object)
    return Table(("a", "label", "b", "c"), (a, text, b, c))


# -- matrix ------------------------------------------------------------------------


def test_matrix_default_is_every_numeric_column():
    t = table()
    dense, names, entry = to_matrix(t)
    assert isinstance(dense, Dense) and names == ("a", "b", "c")
    np.testing.assert_array_equal(np.asarray(dense), np.column_stack([t.column(n) for n in names]))
    assert entry["rows"] == 200 and entry["columns_in"] == 4 and entry["columns_out"] == 3
    assert entry["nan_values"] == 3


def test_matrix_chosen_columns_keep_order():
    t = table()
    dense, names, _ = to_matrix(t, columns=["c", "a"])
    assert names == ("c", "a")
    np.testing.assert_array_equal(np.asarray(dense)[:, 0], t.column("c"))


@pytest.mark.parametrize("center, standardize", [(True, False), (False, True), (True, True)],
                         ids=["center", "standardize", "both"])
def test_matrix_center_standardize_against_numpy(center, standardize):
    t = table()
    x = np.column_stack([t.column(n) for n in ("a", "b", "c")])
    want = x - np.nanmean(x, axis=0)
    if standardize:
        want = want / np.nanstd(x, axis=0, ddof=1)
    dense, _, entry = to_matrix(t, center=center, standardize=standardize)
    # a mean and a deviation each within a few ulps of the data's magnitude
    np.testing.assert_allclose(np.asarray(dense), want, rtol=0, atol=64 * EPS * np.nanmax(abs(x)))
    assert entry["centered"] and entry["standardized"] == standardize


def test_matrix_constant_column_is_only_centred():
    t = Table(("k", "v"), (np.full(4, 3.0), np.array([1.0, 2.0, 3.0, 6.0])))
    dense, _, entry = to_matrix(t, standardize=True)
    np.testing.assert_array_equal(np.asarray(dense)[:, 0], 0.0)
    assert entry["constant_columns_not_scaled"] == ["k"]


@pytest.mark.parametrize("columns, error, match", [
    (["a", "nope"], ValueError, r"unknown column\(s\) 'nope'; the table has: a, label, b, c"),
    (["label"], DataError, r"'label' hold text.*non_numeric=\"drop\" or choose numeric columns \(a, b, c\)"),
    ([], ValueError, "columns is empty"),
    (["a", "a"], ValueError, r"'a' chosen twice"),
], ids=["unknown", "text", "empty", "duplicate"])
def test_matrix_rejects(columns, error, match):
    with pytest.raises(error, match=match):
        to_matrix(table(), columns=columns)


def test_matrix_no_numeric_columns():
    t = Table(("s",), (np.array(["a", "b"], dtype=object),))
    with pytest.raises(DataError, match="no numeric columns"):
        to_matrix(t)


# -- compute -----------------------------------------------------------------------


def matrix(seed=0, nan=True):
    dense, names, _ = to_matrix(table(seed, nan=nan))
    return dense, names, np.asarray(dense)


def test_describe_against_numpy_with_nan():
    dense, names, x = matrix()
    results, entry = compute(dense, names, ("describe",))
    for j, name in enumerate(names):
        col = x[:, j]
        got = results["describe"][name]
        assert got["count"] == np.count_nonzero(~np.isnan(col))
        scale = np.nanmax(abs(col))
        want = {"mean": np.nanmean(col), "std": np.nanstd(col, ddof=1), "min": np.nanmin(col),
                "max": np.nanmax(col), "q1": np.nanquantile(col, 0.25),
                "median": np.nanmedian(col), "q3": np.nanquantile(col, 0.75)}
        for key, value in want.items():
            # summation error of n values: n·eps·max|x| bounds both answers' error
            assert got[key] == pytest.approx(value, abs=col.size * EPS * scale), (name, key)
    assert [c["name"] for c in entry["computations"]] == ["describe"]
    assert entry["computations"][0]["seconds"] >= 0


def test_describe_all_nan_and_single_value_columns():
    dense = Dense.from_array(np.array([[np.nan, 1.0], [np.nan, np.nan]]))
    d = compute(dense, ("gone", "one"), ("describe",))[0]["describe"]
    assert d["gone"]["count"] == 0 and np.isnan(d["gone"]["mean"])
    assert d["one"]["count"] == 1 and d["one"]["mean"] == 1.0 and np.isnan(d["one"]["std"])


@pytest.mark.parametrize("name, oracle", [
    ("covariance", lambda x: np.cov(x, rowvar=False)),
    ("correlation", lambda x: np.corrcoef(x, rowvar=False)),
], ids=["covariance", "correlation"])
def test_matrices_against_numpy_on_complete_rows(name, oracle):
    dense, names, x = matrix()
    r = compute(dense, names, (name,))[0][name]
    complete = x[~np.isnan(x).any(axis=1)]
    assert isinstance(r["matrix"], SymDense) and r["names"] == names
    assert r["rows"] == complete.shape[0] == 197
    want = oracle(complete)
    np.testing.assert_allclose(np.asarray(r["matrix"]), want, rtol=0,
                               atol=complete.shape[0] * EPS * np.abs(want).max())


def test_pca_against_numpy_eigenvalues():
    dense, names, x = matrix(nan=False)
    r = compute(dense, names, ("pca",))[0]["pca"]
    cov = np.cov(x, rowvar=False)
    want = np.sort(np.linalg.eigvalsh(cov))[::-1]
    np.testing.assert_allclose(r["variances"], want, rtol=0, atol=x.shape[0] * EPS * want[0])
    np.testing.assert_allclose(r["explained_variance_ratio"], want / want.sum(), atol=1e-12)
    v = np.asarray(r["vectors"])
    # each direction is an eigenvector: cov v = λ v
    np.testing.assert_allclose(cov @ v, v * want, atol=1e-10 * want[0])


def test_pca_of_the_correlation_matrix():
    dense, names, x = matrix(nan=False)
    r = compute(dense, names, ("pca",), pca_scale="correlation")[0]["pca"]
    want = np.sort(np.linalg.eigvalsh(np.corrcoef(x, rowvar=False)))[::-1]
    # λ(corr) = λ(cov of the standardised columns); eigenvalue error ≤ n·eps·‖C‖ (Weyl)
    np.testing.assert_allclose(r["variances"], want, rtol=0, atol=x.shape[0] * EPS * want[0])
    assert r["scale"] == "correlation"
    with pytest.raises(ValueError, match="pca_scale must be one of covariance, correlation"):
        compute(dense, names, ("pca",), pca_scale="spearman")
    x[:, 1] = 3.0
    with pytest.raises(ValueError, match="needs columns that vary; 'b' is constant"):
        compute(Dense.from_array(x), names, ("pca",), pca_scale="correlation")


def test_regression_reproduces_nist_longley():
    d = datasets.load_longley()
    dense = Dense.from_array(d.data)
    r = compute(dense, d.names, ("regression",), target="employment")[0]["regression"]
    certified = [-3482258.63459582, 15.0618722713733, -0.358191792925910e-01,
                 -2.02022980381683, -1.03322686717359, -0.511041056535807e-01, 1829.15146461355]
    std = [890420.383607373, 84.9149257747669, 0.334910077722432e-01, 0.488399681651699,
           0.214274163161675, 0.226073200069370, 455.478499142212]
    assert list(r["params"]) == ["intercept", *d.names[1:]]
    # NIST certifies 15 digits; numkit.stat.ols gets Longley to ~1e-9 relative or better
    np.testing.assert_allclose(list(r["params"].values()), certified, rtol=1e-8)
    np.testing.assert_allclose(list(r["std_errors"].values()), std, rtol=1e-8)
    assert r["r_squared"] == pytest.approx(0.995479004577296, rel=1e-10)
    assert r["residual_std"] == pytest.approx(304.854073561965, rel=1e-8)


def test_histogram_against_numpy():
    dense, names, x = matrix()
    h = compute(dense, names, ("histogram",), bins=7)[0]["histogram"]
    for j, name in enumerate(names):
        col = x[:, j][~np.isnan(x[:, j])]
        counts, edges = np.histogram(col, 7)
        np.testing.assert_array_equal(h[name]["counts"], counts)
        np.testing.assert_allclose(h[name]["dividers"], edges, rtol=4 * EPS)


def test_histogram_default_bins_is_ceil_sqrt_n():
    dense, names, _ = matrix(nan=False)
    h = compute(dense, names, ("histogram",))[0]["histogram"]
    assert h["a"]["counts"].shape == (15,)  # ⌈√200⌉


@pytest.mark.parametrize("probabilities", [None, (0.1, 0.9)], ids=["default", "given"])
def test_quantiles_against_numpy(probabilities):
    dense, names, x = matrix()
    options = {} if probabilities is None else {"probabilities": probabilities}
    q = compute(dense, names, ("quantiles",), **options)[0]["quantiles"]
    p = probabilities or (0.05, 0.25, 0.5, 0.75, 0.95)
    assert q["probabilities"] == tuple(p)
    for j, name in enumerate(names):
        np.testing.assert_allclose(q["values"][name], np.nanquantile(x[:, j], p), rtol=4 * EPS)


def test_callable_stored_under_its_name():
    def column_sums(dense, names):
        return dict(zip(names, np.nansum(np.asarray(dense), axis=0).tolist(), strict=True))

    dense, names, x = matrix()
    results, entry = compute(dense, names, ("describe", column_sums))
    assert results["column_sums"]["b"] == pytest.approx(np.nansum(x[:, 1]))
    assert [c["name"] for c in entry["computations"]] == ["describe", "column_sums"]


@pytest.mark.parametrize("what, options, match", [
    (("describe", "mode"), {}, r"unknown computation 'mode'; choose from describe, covariance, correlation, pca, regression, histogram, quantiles"),
    (("describe",), {"bogus": 1}, r"unknown option\(s\) bogus"),
    (("regression",), {}, r"regression needs target=<column name>; the columns are: a, b, c"),
    (("regression",), {"target": "z"}, r"target 'z' is not a column"),
    (("histogram",), {"bins": 0}, "bins must be a positive integer"),
    (("quantiles",), {"probabilities": (0.5, 1.5)}, r"probabilities must be .* in \[0, 1\]"),
], ids=["unknown-name", "unknown-option", "no-target", "bad-target", "bad-bins", "bad-p"])
def test_compute_rejects(what, options, match):
    dense, names, _ = matrix()
    with pytest.raises(ValueError, match=match):
        compute(dense, names, what, **options)


def test_matrix_computation_needs_two_complete_rows():
    dense = Dense.from_array([[1.0, np.nan], [2.0, 3.0]])
    with pytest.raises(ValueError, match="correlation needs at least 2 rows without NaN"):
        compute(dense, ("a", "b"), ("correlation",))


def test_chain_through_pipeline():
    p = Pipeline(table()).matrix(columns=["a", "b"]).compute("describe", "correlation")
    assert set(p.results) == {"describe", "correlation"}
    assert [s["stage"] for s in p.stages] == ["matrix", "compute"]


# -- the block: matrix without a copy, pipelines that do not change ------------------


def block_of(t):
    numeric = [c for c in t.columns if c.dtype == np.float64]
    return Table.from_block(t.names, [None if c.dtype == np.float64 else c for c in t.columns],
                            np.column_stack(numeric))


def test_matrix_of_every_numeric_column_is_the_block():
    t = block_of(table())
    dense, names, _ = to_matrix(t)
    values = np.asarray(dense)
    assert names == ("a", "b", "c") and np.shares_memory(values, t.block)
    np.testing.assert_array_equal(values, np.column_stack([t.column(n) for n in names]))
    with pytest.raises(ValueError, match="read-only"):
        dense.set(0, 0, 1.0)
    copy = Dense.from_array(dense)                          # the writable way out
    copy.set(0, 0, 1.0)
    assert values[0, 0] != 1.0


@pytest.mark.parametrize("kwargs", [
    {"columns": ["c", "a"]}, {"columns": ["a", "b"]}, {"center": True},
    {"standardize": True},
], ids=["reordered", "subset", "center", "standardize"])
def test_matrix_copies_when_it_is_not_the_block(kwargs):
    t = block_of(table())
    before = t.block.copy()
    dense, names, _ = to_matrix(t, **kwargs)
    values = np.asarray(dense)
    assert not np.shares_memory(values, t.block) and values.flags.writeable
    plain = np.column_stack([t.column(n) for n in names])
    if not kwargs.get("center") and not kwargs.get("standardize"):
        np.testing.assert_array_equal(values, plain)
    np.testing.assert_array_equal(t.block, before)


def test_earlier_pipelines_keep_their_data(tmp_path):
    path = tmp_path / "d.csv"
    rng = np.random.default_rng(3)
    x = rng.normal(size=(300, 3))
    x[rng.integers(0, 300, 20), rng.integers(0, 3, 20)] = np.nan
    np.savetxt(path, x, delimiter=",", header="p,q,r", comments="", fmt="%.17g")
    from numkit.pipeline import read_csv

    p0 = read_csv(path)
    raw = p0.table.block.copy()
    p1 = p0.clean(missing="drop_rows", outliers=("zscore", 2.0))
    p2 = p1.matrix()
    p3 = p2.compute("describe", "correlation")
    np.testing.assert_array_equal(p0.table.block, raw)
    complete = x[np.isfinite(x).all(axis=1)]
    assert p0.table.n_rows == 300 and p1.table.n_rows < complete.shape[0]
    assert np.shares_memory(np.asarray(p2.dense), p1.table.block)
    assert p3.results["correlation"]["rows"] == p1.table.n_rows
