"""PC and CC against numpy's SVD (up to the sign of each vector) and scikit-style
definitions, plus rejections."""

from __future__ import annotations

import numpy as np
import pytest

from numkit.mat._dense import Dense
from numkit.stat._multivariate import CC, PC

EPS = np.finfo(np.float64).eps


def _same_up_to_sign(a, b, tol):
    signs = np.sign(np.sum(a * b, axis=0))
    np.testing.assert_allclose(a * signs, b, atol=tol)


@pytest.mark.parametrize("n,d", [(50, 3), (10, 10), (5, 8)], ids=["tall", "square", "wide"])
def test_pc_matches_numpy_svd(n, d):
    rng = np.random.default_rng(n + d)
    x = rng.standard_normal((n, d)) @ rng.standard_normal((d, d)) + 100.0
    pc = PC()
    pc.principal_components(x)
    xc = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(xc, full_matrices=False)
    np.testing.assert_allclose(pc.vars(), s * s / (n - 1), rtol=1e-10,
                               atol=1e-12 * s[0] ** 2)
    k = int(np.sum(s > 1e-8 * s[0]))  # vectors of (numerically) zero variance are arbitrary
    v = np.asarray(pc.vectors())
    assert v.shape == (d, min(n, d))
    _same_up_to_sign(v[:, :k], vt.T[:, :k], 1e-8)
    assert pc.explained_variance_ratio().sum() == pytest.approx(1.0, rel=1e-14)
    dst = Dense()
    pc.vectors_to(dst)
    assert np.array_equal(np.asarray(dst), v)
    out = np.empty(min(n, d))
    pc.vars_to(out)
    assert np.array_equal(out, pc.vars())


def test_pc_weights_equal_repetition():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((20, 3))
    w = rng.integers(1, 4, 20).astype(float)
    a, b = PC(), PC()
    a.principal_components(x, weights=w)
    b.principal_components(np.repeat(x, w.astype(int), axis=0))
    np.testing.assert_allclose(a.vars(), b.vars(), rtol=1e-12)
    _same_up_to_sign(np.asarray(a.vectors()), np.asarray(b.vectors()), 1e-10)


def test_cc_matches_definition():
    rng = np.random.default_rng(2)
    n = 200
    x = rng.standard_normal((n, 3))
    y = np.column_stack([x[:, 0] + 0.5 * rng.standard_normal(n), rng.standard_normal((n, 2))])
    cc = CC()
    cc.canonical_correlations(x, y)
    # oracle: singular values of Qxᵀ Qy with Q from numpy's QR of the centred data
    qx = np.linalg.qr(x - x.mean(axis=0))[0]
    qy = np.linalg.qr(y - y.mean(axis=0))[0]
    ref = np.linalg.svd(qx.T @ qy, compute_uv=False)
    np.testing.assert_allclose(cc.corrs(), ref, rtol=1e-12)
    # the back-transformed vectors give canonical variables with those correlations
    u = (x - x.mean(axis=0)) @ np.asarray(cc.left())
    v = (y - y.mean(axis=0)) @ np.asarray(cc.right())
    for j in range(3):
        assert abs(np.corrcoef(u[:, j], v[:, j])[0, 1]) == pytest.approx(ref[j], rel=1e-10)
        assert np.var(u[:, j], ddof=1) == pytest.approx(1.0, rel=1e-10)
    _same_up_to_sign(np.asarray(cc.left(sphered=True)).T @ np.asarray(cc.left(sphered=True)),
                     np.eye(3), 1e-12)


BAD = [
    (lambda: PC().principal_components(np.ones(4)), r"must be 2-D"),
    (lambda: PC().principal_components([[1.0, np.nan], [1.0, 2.0]]), r"NaN or infinity"),
    (lambda: PC().principal_components([[1.0, 2.0]]), r"more than one observation"),
    (lambda: PC().principal_components(np.ones((3, 2)), weights=[1.0, 1.0]),
     r"same length as x \(3\)"),
    (lambda: PC().vars(), r"call principal_components first"),
    (lambda: CC().canonical_correlations(np.ones((3, 2)), np.ones((4, 2))),
     r"x has 3 rows but y has 4"),
    (lambda: CC().corrs(), r"call canonical_correlations first"),
]


@pytest.mark.parametrize("call,match", BAD, ids=["1d", "nan", "one-row", "weights",
                                                 "unfitted", "rows", "cc-unfitted"])
def test_rejections(call, match):
    with pytest.raises(ValueError, match=match):
        call()
