"""Conformance harness (after numpy's LinalgCase): every numkit.mat operation over the
same tagged inputs — square, non-square, 1×1, 0-size, strided view, transposed view,
Fortran order, read-only — each passed both as a numpy array and wrapped in a Dense
view, compared with numpy's answer."""

from __future__ import annotations

import numpy as np
import pytest

import numkit.mat as mat
from numkit.mat import Dense

EPS = np.finfo(float).eps


def _readonly(x):
    y = x.copy()
    y.flags.writeable = False
    return y


def _strided(x):
    big = np.zeros((2 * x.shape[0] + 1, 3 * x.shape[1] + 1))
    big[1::2, 1::3] = x
    return big[1::2, 1::3]


def _transposed(x):
    return np.ascontiguousarray(x.T).T


KINDS = {
    "square": ((4, 4), lambda x: x),
    "non-square": ((3, 5), lambda x: x),
    "1x1": ((1, 1), lambda x: x),
    "0-size": ((0, 3), lambda x: x),
    "strided": ((3, 4), _strided),
    "transposed": ((4, 3), _transposed),
    "fortran": ((5, 2), np.asfortranarray),
    "read-only": ((2, 3), _readonly),
}


def make(kind, seed, shape=None):
    base_shape, layout = KINDS[kind]
    shape = shape or base_shape
    x = np.random.default_rng(seed).standard_normal(shape) + 0.5
    return x, layout(x.copy())


WRAPPERS = {"ndarray": lambda x: x, "Dense-view": lambda x: Dense._wrap(x)}


def into(method, *args):
    r = Dense()
    getattr(r, method)(*args)
    return np.asarray(r)


# (name, numkit(*operands) -> ndarray, numpy oracle, operands' shape rule, tolerance)
# tolerance: None = exact; otherwise a function of the operands giving an absolute bound.
def _prod_tol(a, b):
    return (a.shape[1] + 1) * EPS * (np.abs(a) @ np.abs(b)) + 1e-300


UNARY = [
    ("scale", lambda a: into("scale", 3.0, a), lambda a: 3.0 * a, None),
    ("apply", lambda a: into("apply", np.exp, a), np.exp, None),
    ("clone_from", lambda a: into("clone_from", a), lambda a: a.copy(), None),
    ("T-times-self", lambda a: into("mul", Dense._wrap(np.asarray(a)).T(), a),
     lambda a: a.T @ a, lambda a: _prod_tol(a.T, a)),
    ("self-times-T", lambda a: into("mul", a, Dense._wrap(np.asarray(a)).T()),
     lambda a: a @ a.T, lambda a: _prod_tol(a, a.T)),
]

BINARY_SAME_SHAPE = [
    ("add", lambda a, b: into("add", a, b), np.add, None),
    ("sub", lambda a, b: into("sub", a, b), np.subtract, None),
    ("mul_elem", lambda a, b: into("mul_elem", a, b), np.multiply, None),
    ("div_elem", lambda a, b: into("div_elem", a, b), np.divide, None),
    ("stack", lambda a, b: into("stack", a, b), lambda a, b: np.vstack([a, b]), None),
    ("augment", lambda a, b: into("augment", a, b), lambda a, b: np.hstack([a, b]), None),
    ("kronecker", lambda a, b: into("kronecker", a, b), np.kron, None),
    ("mul-Bt", lambda a, b: into("mul", a, Dense._wrap(np.asarray(b)).T()),
     lambda a, b: a @ b.T, lambda a, b: _prod_tol(a, b.T)),
]

REDUCTIONS = [
    ("sum", "sum", np.sum, lambda a: (a.size + 1) * EPS * np.abs(a).sum()),
    ("norm-1", lambda a: mat.norm(a, 1), lambda a: np.linalg.norm(a, 1) if a.size else 0.0,
     lambda a: (a.shape[0] + 1) * EPS * np.abs(a).sum()),
    ("norm-inf", lambda a: mat.norm(a, np.inf),
     lambda a: np.linalg.norm(a, np.inf) if a.size else 0.0,
     lambda a: (a.shape[1] + 1) * EPS * np.abs(a).sum()),
    ("norm-fro", lambda a: mat.norm(a, "fro"), lambda a: np.linalg.norm(a, "fro"),
     lambda a: (a.size + 1) * EPS * np.linalg.norm(a)),
    # LAPACK's SVD is backward stable: |σ̂ - σ| <= c·n·eps·‖A‖₂ (Demmel–Kahan)
    ("norm-2", lambda a: mat.norm(a, 2), lambda a: np.linalg.norm(a, 2) if a.size else 0.0,
     lambda a: 10 * max(a.shape) * EPS * (np.linalg.norm(a, 2) if a.size else 0.0)),
    ("max", "max", np.max, None),
    ("min", "min", np.min, None),
]


def _check(got, want, tol):
    got = np.asarray(got, dtype=float)
    want = np.asarray(want, dtype=float)
    assert got.shape == want.shape
    if tol is None:
        np.testing.assert_array_equal(got, want)
    else:
        assert np.all(np.abs(got - want) <= tol), np.max(np.abs(got - want))


@pytest.mark.parametrize("wrap", list(WRAPPERS), ids=list(WRAPPERS))
@pytest.mark.parametrize("kind", list(KINDS), ids=list(KINDS))
@pytest.mark.parametrize("op", UNARY, ids=[u[0] for u in UNARY])
def test_unary(op, kind, wrap):
    _, fn, oracle, tol = op
    x, arg = make(kind, 1)
    before = x.copy()
    got = fn(WRAPPERS[wrap](arg))
    _check(got, oracle(x), None if tol is None else tol(x))
    np.testing.assert_array_equal(np.asarray(arg), before)  # the operand is untouched


@pytest.mark.parametrize("wrap", list(WRAPPERS), ids=list(WRAPPERS))
@pytest.mark.parametrize("kind", list(KINDS), ids=list(KINDS))
@pytest.mark.parametrize("op", BINARY_SAME_SHAPE, ids=[b[0] for b in BINARY_SAME_SHAPE])
def test_binary(op, kind, wrap):
    _, fn, oracle, tol = op
    x, a = make(kind, 1)
    y, b = make(kind, 2)
    got = fn(WRAPPERS[wrap](a), WRAPPERS[wrap](b))
    _check(got, oracle(x, y), None if tol is None else tol(x, y))


@pytest.mark.parametrize("kind", list(KINDS), ids=list(KINDS))
@pytest.mark.parametrize("op", ["add", "sub", "mul_elem", "div_elem", "scale"])
def test_in_place_receiver_of_each_kind(op, kind):
    """The receiver itself may be a strided, transposed or Fortran view."""
    if kind == "read-only":
        pytest.skip("a read-only receiver is refused (tested in test_dense)")
    x, a = make(kind, 1)
    y = np.random.default_rng(2).standard_normal(x.shape) + 0.5
    r = Dense._wrap(a)
    if op == "scale":
        r.scale(2.0, r)
        want = 2.0 * x
    else:
        getattr(r, op)(r, y)
        want = {"add": np.add, "sub": np.subtract, "mul_elem": np.multiply,
                "div_elem": np.divide}[op](x, y)
    np.testing.assert_array_equal(a, want)


@pytest.mark.parametrize("kind", list(KINDS), ids=list(KINDS))
def test_mul_into_receiver_of_each_kind(kind):
    x, a = make(kind, 1)
    if kind == "read-only":
        pytest.skip("a read-only receiver is refused (tested in test_dense)")
    k = 3
    p = np.random.default_rng(3).standard_normal((x.shape[0], k))
    q = np.random.default_rng(4).standard_normal((k, x.shape[1]))
    Dense._wrap(a).mul(p, q)
    assert np.all(np.abs(a - p @ q) <= _prod_tol(p, q))


@pytest.mark.parametrize("wrap", list(WRAPPERS), ids=list(WRAPPERS))
@pytest.mark.parametrize("kind", list(KINDS), ids=list(KINDS))
@pytest.mark.parametrize("op", REDUCTIONS, ids=[r[0] for r in REDUCTIONS])
def test_reductions(op, kind, wrap):
    _, fn, oracle, tol = op
    if isinstance(fn, str):
        fn = getattr(mat, fn)
    x, a = make(kind, 1)
    if x.size == 0 and op[0] in ("max", "min"):
        with pytest.raises(ValueError, match="empty"):
            fn(WRAPPERS[wrap](a))
        return
    got = fn(WRAPPERS[wrap](a))
    assert isinstance(got, float)
    _check(got, oracle(x), None if tol is None else tol(x))


@pytest.mark.parametrize("wrap", list(WRAPPERS), ids=list(WRAPPERS))
@pytest.mark.parametrize("kind", ["square", "1x1", "strided", "transposed", "fortran",
                                  "read-only"])
def test_trace(kind, wrap):
    shape = (KINDS[kind][0][0],) * 2
    x, a = make(kind, 1, shape)
    assert mat.trace(WRAPPERS[wrap](a)) == pytest.approx(np.trace(x), rel=4 * shape[0] * EPS)


# -- decompositions and solvers (issue: numkit.mat decompositions) -------------------
# Square kinds only; each input is made well conditioned (diagonally dominant) so the
# oracle and numkit agree to a bound derived from the backward error of LU/QR:
# |x̂ - x| / |x| <= c·n·eps·κ(A) (Higham, Accuracy and Stability, Thm 9.4 and §7.1).

SQUARE_KINDS = ["square", "1x1", "strided", "transposed", "fortran", "read-only"]


def make_square(kind, seed):
    n = KINDS[kind][0][0]
    x = np.random.default_rng(seed).standard_normal((n, n)) + n * np.eye(n)
    return x, KINDS[kind][1](x.copy())


def _solve_tol(a, x):
    return 10 * a.shape[0] * EPS * np.linalg.cond(a, 1) * max(1.0, np.abs(x).max())


def _solve(a, b):
    r = Dense()
    r.solve(a, b)
    return np.asarray(r)


def _inverse(a):
    r = Dense()
    r.inverse(a)
    return np.asarray(r)


DECOMP = [
    ("solve", lambda a, b: _solve(a, b), lambda a, b: np.linalg.solve(a, b)),
    ("solve-tall", lambda a, b: _solve(np.vstack([np.asarray(a), np.asarray(a)]),
                                       np.vstack([np.asarray(b), np.asarray(b)])),
     lambda a, b: np.linalg.lstsq(np.vstack([a, a]), np.vstack([b, b]), rcond=None)[0]),
    ("inverse", lambda a, b: _inverse(a), lambda a, b: np.linalg.inv(a)),
    ("det", lambda a, b: mat.det(a), lambda a, b: np.linalg.det(a)),
    ("log_det", lambda a, b: mat.log_det(a)[0], lambda a, b: np.linalg.slogdet(a)[1]),
    ("cond-1", lambda a, b: mat.cond(a, 1), lambda a, b: np.linalg.cond(a, 1)),
    ("cond-2", lambda a, b: mat.cond(a, 2), lambda a, b: np.linalg.cond(a, 2)),
    ("cond-inf", lambda a, b: mat.cond(a, np.inf), lambda a, b: np.linalg.cond(a, np.inf)),
]


@pytest.mark.parametrize("wrap", list(WRAPPERS), ids=list(WRAPPERS))
@pytest.mark.parametrize("kind", SQUARE_KINDS)
@pytest.mark.parametrize("op", DECOMP, ids=[d[0] for d in DECOMP])
def test_decompositions(op, kind, wrap):
    name, fn, oracle = op
    x, a = make_square(kind, 1)
    y = np.random.default_rng(2).standard_normal((x.shape[0], 2))
    got = np.asarray(fn(WRAPPERS[wrap](a), y), dtype=float)
    want = np.asarray(oracle(x, y), dtype=float)
    if name.startswith("cond-1") or name.startswith("cond-inf"):
        # dgecon is an estimate: never above the true κ, and within a factor n of it
        # (Higham, §15.3); for these sizes it is exact in practice but not guaranteed.
        assert want / x.shape[0] <= got <= want * (1 + 1e-12)
        return
    tol = _solve_tol(x, want) if name not in ("det", "log_det") else (
        10 * x.shape[0] * EPS * np.linalg.cond(x, 1) * max(1.0, abs(float(want))))
    assert np.all(np.abs(got - want) <= tol), (np.abs(got - want).max(), tol)
    np.testing.assert_array_equal(np.asarray(a), x)  # the operand is untouched


@pytest.mark.parametrize("kind", SQUARE_KINDS)
@pytest.mark.parametrize("decomp", ["LU", "Cholesky", "QR", "SVD", "EigenSym"])
def test_decomposition_objects_accept_each_kind(decomp, kind):
    x, a = make_square(kind, 3)
    if decomp in ("Cholesky", "EigenSym"):
        x = x @ x.T + np.eye(x.shape[0])
        a = KINDS[kind][1](x.copy())
    d = getattr(mat, decomp)()
    d.factorize(a)
    n = x.shape[0]
    tol = 30 * n * EPS * np.linalg.norm(x, 1)  # backward error of each factorization
    if decomp == "LU":
        # pivot() is Gonum's RowPivots: a == (L U)[p]
        r = np.asarray(d.l()) @ np.asarray(d.u())
        assert np.abs(r[d.pivot()] - x).max() <= tol
    elif decomp == "Cholesky":
        L = np.asarray(d.l())
        assert np.abs(L @ L.T - x).max() <= tol
    elif decomp == "QR":
        assert np.abs(np.asarray(d.q()) @ np.asarray(d.r()) - x).max() <= tol
    elif decomp == "SVD":
        u, s, v = np.asarray(d.u()), d.values(), np.asarray(d.v())
        assert np.abs((u * s) @ v.T - x).max() <= tol
    else:
        w, v = d.values(), np.asarray(d.vectors())
        assert np.abs(x @ v - v * w).max() <= tol
    np.testing.assert_array_equal(np.asarray(a), x)
