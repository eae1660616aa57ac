"""Eigen and EigenSym against their defining identities, numpy/scipy and the error
model.

Tolerances follow LAPACK's eigenvalue tests: dget22 bounds
‖A V − V Λ‖₁ / (n·eps·‖A‖₁·‖V‖₁) and dsyt21 bounds ‖A V − V Λ‖₁ / (n·eps·‖A‖₁) and
‖I − VᵀV‖₁ / (n·eps), each below THRESH = 30 (testing/dtest.in), which the backward
stability of the QR algorithm and of MRRR guarantees (Golub & Van Loan, §7.5.6, §8.4).
An eigenvalue λ_i of a general matrix moves by at most ‖E‖₂ / s_i, s_i = |y_iᴴ x_i|
for unit left and right vectors (Wilkinson); a symmetric one by at most ‖E‖₂ (Weyl).
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import scipy.linalg

from numkit._kernels import _blas
from numkit.errors import ConvergenceError, ShapeError
from numkit.mat import Dense, SymDense
from numkit.mat._eigen import Eigen, EigenSym

EPS = np.finfo(np.float64).eps
THRESH = 30.0  # LAPACK testing/dtest.in


def _layout(a: np.ndarray, kind: str):
    if kind == "c":
        return a.copy()
    if kind == "fortran":
        return np.asfortranarray(a)
    if kind == "strided":
        big = np.zeros((2 * a.shape[0] + 1, 3 * a.shape[1] + 1))
        big[1::2, 2::3] = a
        return big[1::2, 2::3]
    if kind == "readonly":
        r = a.copy()
        r.setflags(write=False)
        return r
    if kind == "dense_T":
        return Dense.from_array(np.ascontiguousarray(a.T)).T()
    raise AssertionError(kind)


LAYOUTS = ["c", "fortran", "strided", "readonly", "dense_T"]


def _norm1(x) -> float:
    x = np.asarray(x)
    return float(np.abs(x).sum(axis=0).max()) if x.size else 0.0


def _random(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


# -- Eigen ------------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("n", [0, 1, 2, 5, 30])
def test_eigen_right_and_left_residuals(n, layout):
    a = _random((n, n), seed=n)
    e = Eigen()
    e.factorize(_layout(a, layout), left=True, right=True)
    w, v, u = e.values(), e.vectors(), e.left_vectors()
    assert w.dtype == v.dtype == u.dtype == np.complex128
    bound = THRESH * max(n, 1) * EPS * _norm1(a)
    assert _norm1(a @ v - v * w) <= bound * _norm1(v)
    assert _norm1(u.conj().T @ a - w[:, None] * u.conj().T) <= bound * _norm1(u)
    if n:
        # LAPACK's normalisation: unit 2-norm, largest component real.
        for vec in (v, u):
            np.testing.assert_allclose(np.linalg.norm(vec, axis=0), 1.0, rtol=0,
                                       atol=THRESH * n * EPS)
            big = vec[np.argmax(np.abs(vec), axis=0), np.arange(n)]
            assert np.all(big.imag == 0.0)


@pytest.mark.parametrize("n", [3, 8, 20])
def test_eigen_agrees_with_scipy(n):
    a = _random((n, n), seed=100 + n)
    e = Eigen()
    e.factorize(a)
    w_sp, y, x = scipy.linalg.eig(a, left=True, right=True)
    s = np.abs(np.sum(y.conj() * x, axis=0))    # unit vectors: s_i = |y_iᴴ x_i|
    w = e.values()
    tol = THRESH * n * EPS * np.linalg.norm(a, 2) / s
    # Same LAPACK routine, same order; match each eigenvalue to the nearest anyway.
    nearest = np.abs(w[:, None] - w_sp[None, :]).argmin(axis=1)
    assert np.all(np.abs(w - w_sp[nearest]) <= tol[nearest])
    # Vectors agree up to a unimodular factor: |⟨v, x⟩| = 1 within the eigenvector
    # condition number ‖E‖ / (s_i · gap_i) (Golub & Van Loan, Thm 7.2.4).
    v = e.vectors()
    gap = np.array([np.min(np.abs(np.delete(w_sp, i) - w_sp[i])) for i in range(n)])
    cos = np.abs(np.sum(v.conj() * x[:, nearest], axis=0))
    assert np.all(1.0 - cos <= THRESH * n * EPS * np.linalg.norm(a, 2)
                  / (s[nearest] * gap[nearest]))


@pytest.mark.parametrize("theta", [0.3, np.pi / 2, 2.5])
def test_eigen_rotation_has_a_conjugate_pair(theta):
    c, s = np.cos(theta), np.sin(theta)
    a = np.array([[c, -s], [s, c]])
    e = Eigen()
    e.factorize(a, left=True)
    w = e.values()
    # An orthogonal (normal) matrix: s_i = 1, eigenvalues exact to ‖E‖₂.
    np.testing.assert_allclose(w, [complex(c, s), complex(c, -s)], rtol=0,
                               atol=THRESH * 2 * EPS)
    v = e.vectors()
    np.testing.assert_allclose(v[:, 1], v[:, 0].conj(), rtol=0, atol=0)
    np.testing.assert_allclose(np.abs(v), np.sqrt(0.5), rtol=0, atol=THRESH * 2 * EPS)
    np.testing.assert_allclose(a @ v, v * w, rtol=0, atol=THRESH * 2 * EPS)


def test_eigen_three_dimensional_rotation_axis_is_real():
    theta, axis = 0.7, np.array([1.0, 2.0, 2.0]) / 3.0
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    a = np.eye(3) + np.sin(theta) * k + (1 - np.cos(theta)) * k @ k   # Rodrigues
    e = Eigen()
    e.factorize(a)
    w, v = e.values(), e.vectors()
    real = np.flatnonzero(w.imag == 0.0)
    assert real.size == 1
    np.testing.assert_allclose(w[real[0]], 1.0, rtol=0, atol=THRESH * 3 * EPS)
    np.testing.assert_allclose(np.abs(v[:, real[0]].real), axis, rtol=0, atol=THRESH * 3 * EPS)
    np.testing.assert_allclose(np.sort(w.imag), [-np.sin(theta), 0, np.sin(theta)], rtol=0,
                               atol=THRESH * 3 * EPS)


def test_eigen_defective_jordan_block():
    a = np.array([[2.0, 1.0, 0.0], [0.0, 2.0, 1.0], [0.0, 0.0, 2.0]])
    e = Eigen()
    e.factorize(a)
    w, v = e.values(), e.vectors()
    # A Jordan block of order 3: a perturbation E moves λ by ‖E‖^(1/3).
    np.testing.assert_allclose(w, 2.0, rtol=0, atol=(THRESH * 3 * EPS * 3) ** (1 / 3))
    assert _norm1(a @ v - v * w) <= THRESH * 3 * EPS * _norm1(a) * _norm1(v)
    # Only one independent eigenvector: every computed one is (nearly) ±e₁.
    np.testing.assert_allclose(np.abs(v[0]), 1.0, rtol=0, atol=(THRESH * 3 * EPS) ** (1 / 3))


def test_eigen_receivers_and_values_dst():
    a = _random((4, 4), seed=7)
    e = Eigen()
    e.factorize(a, left=True)
    dst = np.empty((4, 4), dtype=np.complex128)
    assert e.vectors_to(dst) is None
    np.testing.assert_array_equal(dst, e.vectors())
    e.left_vectors_to(dst)
    np.testing.assert_array_equal(dst, e.left_vectors())
    w = np.empty(4, dtype=np.complex128)
    assert e.values(w) is w
    np.testing.assert_array_equal(w, e.values())


@pytest.mark.parametrize(
    "flags, call, exc, match",
    [
        ({"right": False}, lambda e: e.vectors(), ValueError,
         "right eigenvectors were not computed; factorize with right=True"),
        ({}, lambda e: e.left_vectors(), ValueError, "factorize with left=True"),
        ({}, lambda e: e.left_vectors_to(np.empty((3, 3), complex)), ValueError, "left=True"),
        ({}, lambda e: e.vectors_to(np.empty((2, 2), complex)), ShapeError,
         "dst has shape 2×2 but the result has shape 3×3"),
        ({}, lambda e: e.vectors_to(np.empty((3, 3))), TypeError,
         "dst must be a complex128 ndarray"),
        ({}, lambda e: e.values(np.empty(3)), TypeError, "complex128"),
        ({}, lambda e: e.vectors_to(Dense(3, 3)), TypeError, "got Dense"),
    ],
    ids=["no-right", "no-left", "no-left-to", "dst-shape", "dst-dtype", "values-dtype",
         "dense-dst"],
)
def test_eigen_errors(flags, call, exc, match):
    e = Eigen()
    e.factorize(_random((3, 3), seed=8), **flags)
    with pytest.raises(exc, match=match):
        call(e)


@pytest.mark.parametrize(
    "a, exc, match",
    [
        (np.ones((2, 3)), ShapeError, "Eigen.factorize: a must be square .* got 2×3"),
        (np.array([[1.0, np.inf], [0.0, 1.0]]), ValueError, "a contains NaN or infinity"),
    ],
    ids=["rect", "inf"],
)
def test_eigen_factorize_rejects(a, exc, match):
    with pytest.raises(exc, match=match):
        Eigen().factorize(a)


def test_eigen_before_factorize_and_convergence_failure(monkeypatch):
    with pytest.raises(ValueError, match="call Eigen.factorize first"):
        Eigen().values()
    monkeypatch.setattr(_blas, "geev", lambda *args: 2)
    with pytest.raises(ConvergenceError, match="dgeev.*did not converge"):
        Eigen().factorize(np.eye(3))


def test_eigen_factorize_reuses_workspace_without_allocating():
    rng = np.random.default_rng(9)
    a, a2 = rng.standard_normal((120, 120)), rng.standard_normal((120, 120))
    e = Eigen()
    e.factorize(a, left=True)
    buffers = (e._work, e._wr, e._wi, e._vl, e._vr)
    tracemalloc.start()
    try:
        e.factorize(a2, left=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert all(x is y for x, y in zip(buffers, (e._work, e._wr, e._wi, e._vl, e._vr),
                                      strict=True))
    assert peak < 0.05 * a.nbytes


# -- EigenSym ---------------------------------------------------------------------


def _symmetric(n, seed=0):
    a = _random((n, n), seed)
    return a + a.T


@pytest.mark.parametrize("layout", LAYOUTS + ["symdense"])
@pytest.mark.parametrize("n", [0, 1, 2, 6, 40])
def test_eigensym_residual_orthogonality_and_values(n, layout):
    a = _symmetric(n, seed=n)
    e = EigenSym()
    e.factorize(SymDense.from_array(a) if layout == "symdense" else _layout(a, layout))
    w, v = e.values(), np.asarray(e.vectors())
    assert np.all(np.diff(w) >= 0)
    bound = THRESH * max(n, 1) * EPS
    assert _norm1(a @ v - v * w) <= bound * _norm1(a)
    assert _norm1(np.eye(n) - v.T @ v) <= bound
    np.testing.assert_allclose(w, np.linalg.eigvalsh(a), rtol=0,
                               atol=bound * (np.linalg.norm(a, 2) if n else 0.0))


@pytest.mark.parametrize("n", [4, 15])
def test_eigensym_vectors_agree_with_numpy_up_to_sign(n):
    a = _symmetric(n, seed=20 + n)
    e = EigenSym()
    e.factorize(a)
    w_np, v_np = np.linalg.eigh(a)
    v = np.asarray(e.vectors())
    gaps = np.diff(w_np)
    gap = np.minimum(np.r_[gaps, np.inf], np.r_[np.inf, gaps])
    # Davis–Kahan: an eigenvector moves by at most ‖E‖₂ / gap.
    tol = THRESH * n * EPS * np.linalg.norm(a, 2) / gap
    signs = np.sign(np.sum(v * v_np, axis=0))
    assert np.all(np.abs(v - signs * v_np).max(axis=0) <= tol)


def test_eigensym_reads_the_upper_triangle_of_a_nearly_symmetric_array():
    a = _symmetric(5, seed=30)
    b = a.copy()
    b[np.tril_indices(5, -1)] *= 1 + 1e-10        # within sqrt(eps)·max|a|
    e = EigenSym()
    e.factorize(b)
    w_upper = np.linalg.eigvalsh(a, UPLO="U")
    np.testing.assert_allclose(e.values(), w_upper, rtol=0,
                               atol=THRESH * 5 * EPS * np.linalg.norm(a, 2))


def test_eigensym_repeated_eigenvalues_keep_orthogonal_vectors():
    q, _ = np.linalg.qr(_random((6, 6), seed=31))
    a = (q * np.array([1.0, 1.0, 1.0, 2.0, 2.0, 5.0])) @ q.T
    a = (a + a.T) / 2
    e = EigenSym()
    e.factorize(a)
    v = np.asarray(e.vectors())
    assert _norm1(np.eye(6) - v.T @ v) <= THRESH * 6 * EPS
    assert _norm1(a @ v - v * e.values()) <= THRESH * 6 * EPS * _norm1(a)


def test_eigensym_values_only_and_receivers():
    a = _symmetric(4, seed=32)
    e = EigenSym()
    e.factorize(a, vectors=False)
    np.testing.assert_allclose(e.values(), np.linalg.eigvalsh(a), rtol=0,
                               atol=THRESH * 4 * EPS * np.linalg.norm(a, 2))
    with pytest.raises(ValueError, match="factorize with vectors=True"):
        e.vectors()
    with pytest.raises(ValueError, match="factorize with vectors=True"):
        e.vectors_to(Dense())
    e.factorize(a)
    d = Dense(4, 4)
    storage = np.asarray(d)
    e.vectors_to(d)
    assert np.shares_memory(np.asarray(d), storage)
    np.testing.assert_array_equal(np.asarray(d), np.asarray(e.vectors()))
    out = np.empty(4)
    assert e.values(out) is out


@pytest.mark.parametrize(
    "a, exc, match",
    [
        (np.ones((2, 3)), ShapeError, "EigenSym.factorize: a must be square"),
        (np.array([[1.0, 2.0], [0.0, 1.0]]), ValueError, "a is not symmetric"),
        (np.array([[1.0, np.nan], [np.nan, 1.0]]), ValueError, "a contains NaN or infinity"),
    ],
    ids=["rect", "asymmetric", "nan"],
)
def test_eigensym_factorize_rejects(a, exc, match):
    with pytest.raises(exc, match=match):
        EigenSym().factorize(a)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda e: e.vectors_to(Dense(2, 2)), ShapeError, "receiver is 2×2 but the result is 3×3"),
        (lambda e: e.vectors_to(np.empty((3, 3))), TypeError, "numkit.mat.Dense"),
        (lambda e: e.values(np.empty(2)), ShapeError, "dst has shape length 2"),
    ],
    ids=["dst-shape", "dst-type", "values-shape"],
)
def test_eigensym_errors(call, exc, match):
    e = EigenSym()
    e.factorize(_symmetric(3, seed=33))
    with pytest.raises(exc, match=match):
        call(e)


def test_eigensym_before_factorize_and_failure(monkeypatch):
    with pytest.raises(ValueError, match="call EigenSym.factorize first"):
        EigenSym().values()
    monkeypatch.setattr(_blas, "syevd", lambda *args, **kwargs: 1)
    with pytest.raises(ConvergenceError, match="dsyevd did not converge"):
        EigenSym().factorize(np.eye(3))


def test_eigensym_factorize_reuses_workspace_without_allocating():
    rng = np.random.default_rng(34)
    s1, s2 = (SymDense.from_array(x + x.T) for x in rng.standard_normal((2, 150, 150)))
    e = EigenSym()
    e.factorize(s1)
    buffers = (e._work, e._w)
    tracemalloc.start()
    try:
        e.factorize(s2)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert all(x is y for x, y in zip(buffers, (e._work, e._w), strict=True))
    # the eigenvectors are the workspace itself, read column-major (dsyevd)
    assert np.shares_memory(e._z, e._work)
    assert peak < 0.05 * 150 * 150 * 8
