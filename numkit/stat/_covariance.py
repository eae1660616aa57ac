"""Covariance and correlation matrices, their conversions, the Mahalanobis distance and
the mergeable :class:`CovarianceAccumulator`.

Gonum's ``CovarianceMatrix``/``CorrelationMatrix`` semantics (rows are observations,
columns are variables, frequency weights so the result divides by ``Σw - 1``), computed
by one kernel (``numkit._kernels._covariance.comoments``) that reads the data once:
each block of rows small enough for L2 gets an exact two-pass mean, is centred into a
small scratch buffer (times ``sqrt(w)``) and added into the p×p result by ``dsyrk``;
blocks merge with Chan et al.'s pairwise formulas. No centred n×p copy is made.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from numpy.typing import ArrayLike

from numkit._kernels import _covariance as _k
from numkit.errors import ShapeError
from numkit.mat import SymDense, VecDense
from numkit.stat._validate import as_data, as_weights, check_nan_policy

__all__ = [
    "CovarianceAccumulator",
    "corr_to_cov",
    "cov_to_corr",
    "correlation_matrix",
    "covariance_matrix",
    "mahalanobis",
]

_NATIVE = (np.dtype(np.float64), np.dtype(np.float32))


def _as_observations(X, op: str, p: int | None = None) -> np.ndarray:
    """``X`` as a 2-D float32/float64 array, C-contiguous unless narrow (a copy only when
    needed)."""
    arr = X if isinstance(X, np.ndarray) else None
    if arr is None:
        try:
            arr = np.asarray(X)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"stat.{op}: X must be an array of real numbers; {exc}") from None
    if arr.dtype not in _NATIVE:
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"stat.{op}: X must contain real numbers; got dtype {arr.dtype}")
        arr = arr.astype(np.float64)
    if p is not None and arr.ndim == 1 and arr.shape[0] == p:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise ValueError(
            f"The 'X' parameter of stat.{op} must be 2-D (rows are observations, columns "
            f"are variables); got shape {arr.shape}"
        )
    if p is not None and arr.shape[1] != p:
        raise ShapeError(
            f"stat.{op}: X has {arr.shape[1]} columns but the accumulator has {p} variables"
        )
    # narrow data of any layout go to the strided kernel (see _kernel_comoments)
    return arr if arr.shape[1] <= _NARROW_STRIDED else np.ascontiguousarray(arr)


# Column counts for the narrow kernel (comoments_narrow: dot products of centred
# columns, any strides): always up to _NARROW_ALWAYS columns, where it beats syrk on
# contiguous rows; up to _NARROW_STRIDED for a strided or Fortran-ordered X (a Dask
# block from Parquet), where it saves the contiguous copy. Measured on 4e6 values:
# p=2 4.4 vs 9.9 ms, p=4 4.9 vs 5.4 ms (syrk), Fortran p=8 6.1 vs 3.9 + 4.2 (copy).
_NARROW_ALWAYS = 4
_NARROW_STRIDED = 12


def _kernel_comoments(X: np.ndarray, w, shift, mean, C) -> float:
    """The comoments kernel that suits ``X``'s width and layout."""
    p = X.shape[1]
    if p <= _NARROW_ALWAYS or (p <= _NARROW_STRIDED and not X.flags.c_contiguous):
        return _k.comoments_narrow(X, w, shift, mean, C)
    return _k.comoments(np.ascontiguousarray(X), w, shift, mean, C)


def _drop_nan_rows(X: np.ndarray, w, op: str, nan_policy: str):
    """Apply ``nan_policy`` before the kernel: "omit" drops every row holding a NaN
    (in X or its weight), listwise; "raise" raises naming the first such row."""
    if nan_policy == "propagate":
        return X, w
    bad = np.isnan(X).any(axis=1)
    if w is not None:
        bad |= np.isnan(w)
    if not bad.any():
        return X, w
    if nan_policy == "raise":
        i = int(np.argmax(bad))
        raise ValueError(
            f"stat.{op}: row {i} of X (or its weight) is NaN and nan_policy='raise'; clean "
            f"the data or pass nan_policy='omit' to drop rows holding NaN"
        )
    keep = ~bad
    return np.ascontiguousarray(X[keep]), (None if w is None else w[keep])


def _comoments(X, weights, nan_policy: str, op: str, shift=None):
    """Validated input to ``(W, mean (absolute), comoment matrix C, n rows)``."""
    check_nan_policy(nan_policy, op)
    X = _as_observations(X, op)
    w = as_weights(weights, X.shape[0], op)
    if w is not None:
        w = np.ascontiguousarray(w, dtype=np.float64)
    X, w = _drop_nan_rows(X, w, op, nan_policy)
    n, p = X.shape
    if n < 2:
        raise ValueError(
            f"stat.{op}: X needs at least 2 observations (rows) to estimate a covariance; "
            f"got {n}" + (" after dropping rows with NaN" if nan_policy == "omit" else "")
        )
    if shift is None:
        shift = np.ascontiguousarray(X[0], dtype=np.float64)
    mean = np.empty(p)
    C = np.empty((p, p))
    W = _kernel_comoments(X, w, shift, mean, C)
    return W, shift + mean, C


def _receiver(out, p: int, op: str) -> np.ndarray | None:
    if out is None:
        return None
    if not isinstance(out, SymDense):
        raise TypeError(f"stat.{op}: out must be a numkit.mat.SymDense; got {type(out).__name__}")
    return out._reuse_as(p, op)


def _result(values: np.ndarray, out, op: str) -> SymDense | None:
    dst = _receiver(out, values.shape[0], op)
    if dst is None:
        return SymDense._wrap(values)
    np.copyto(dst, values)
    return out


def covariance_matrix(X: ArrayLike, weights: ArrayLike | None = None, out: SymDense | None = None,
                      *, nan_policy: str = "propagate") -> SymDense:
    """Weighted sample covariance matrix of the columns of ``X`` (Gonum's
    ``CovarianceMatrix``).

    Parameters
    ----------
    X : array_like, shape (n, p)
        Rows are observations, columns are variables. float32 is read directly.
    weights : array_like, shape (n,), optional
        Non-negative frequency weights of the rows.
    out : SymDense, optional
        Receiver: empty (takes the p×p shape) or p×p; it is returned.
    nan_policy : {"propagate", "omit", "raise"}
        A NaN in column j makes row and column j of the result NaN; ``"omit"`` drops
        every row holding a NaN (listwise deletion, one mask pass over X and one copy of
        the kept rows); ``"raise"`` raises naming the first such row.

    Returns
    -------
    SymDense
        ``Σ w (x - mean)(x - mean)ᵀ / (Σw - 1)``, p×p.

    Raises
    ------
    ValueError
        X not 2-D or with fewer than 2 rows; bad weights; a NaN under
        ``nan_policy="raise"``.
    ShapeError
        ``out`` non-empty and not p×p.

    Notes
    -----
    Each block of rows small enough for L2 gets an exact two-pass mean (sum, then
    centre while the block is in cache, with Chan et al.'s correction term), is
    centred into a scratch buffer (times ``sqrt(w)``) and added into the result by
    BLAS ``dsyrk``; blocks merge with Chan et al.'s pairwise formulas, with means
    relative to the first row so data with large offsets keep their digits. X is read
    once and never copied centred; blocks are grouped into a fixed number of chunks
    merged in order, so the result does not depend on the thread count.

    References
    ----------
    Chan, T. F., Golub, G. H., LeVeque, R. J. (1979). Updating formulae and a pairwise
    algorithm for computing sample variances. Stanford CS report STAN-CS-79-773.

    Examples
    --------
    >>> from numkit import stat
    >>> c = stat.covariance_matrix([[1.0, 2.0], [2.0, 4.0], [3.0, 7.0]])
    >>> c.at(0, 0), c.at(0, 1), c.at(1, 1)
    (1.0, 2.5, 6.333333333333333)
    """
    op = "covariance_matrix"
    W, _, C = _comoments(X, weights, nan_policy, op)
    C /= W - 1.0
    return _result(C, out, op)


def _scale_to_corr(C: np.ndarray, op: str) -> np.ndarray:
    """Divide C (p×p covariance or comoment) by the outer product of its diagonal's
    square roots, in place; constant variables give NaN rows with a warning."""
    d = np.diagonal(C).copy()
    zero = d == 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        s = 1.0 / np.sqrt(d)
    s[zero] = np.nan
    C *= s[:, None]
    C *= s[None, :]
    np.clip(C, -1.0, 1.0, out=C)
    np.fill_diagonal(C, np.where(np.isnan(s), np.nan, 1.0))
    if zero.any():
        idx = np.flatnonzero(zero)
        warnings.warn(
            f"stat.{op}: variable(s) {idx.tolist()} have zero variance; their correlations "
            f"are NaN", RuntimeWarning, stacklevel=3)
    return C


def correlation_matrix(X: ArrayLike, weights: ArrayLike | None = None,
                       out: SymDense | None = None, *,
                       nan_policy: str = "propagate") -> SymDense:
    """Weighted Pearson correlation matrix of the columns of ``X`` (Gonum's
    ``CorrelationMatrix``).

    Parameters
    ----------
    X, weights, out, nan_policy
        As for :func:`covariance_matrix`.

    Returns
    -------
    SymDense
        p×p, ones on the diagonal, entries clipped to [-1, 1].

    Raises
    ------
    ValueError, ShapeError
        As for :func:`covariance_matrix`.

    Warns
    -----
    RuntimeWarning
        A constant column (zero variance): its row and column, diagonal included, are
        NaN (numpy's ``corrcoef`` behaves the same; Gonum puts 1 on the diagonal).

    Notes
    -----
    The comoment matrix of :func:`covariance_matrix` scaled by the inverse square roots
    of its diagonal.

    Examples
    --------
    >>> from numkit import stat
    >>> r = stat.correlation_matrix([[1.0, 2.0], [2.0, 4.0], [3.0, 6.5]])
    >>> round(r.at(0, 1), 6)
    0.997949
    """
    op = "correlation_matrix"
    _, _, C = _comoments(X, weights, nan_policy, op)
    return _result(_scale_to_corr(C, op), out, op)


def _sym_values(a, op: str, name: str) -> np.ndarray:
    if isinstance(a, SymDense):
        return np.asarray(a)
    try:
        return np.asarray(SymDense.from_array(a))
    except ValueError as exc:
        raise type(exc)(f"stat.{op}: {name}: {exc}") from None


def cov_to_corr(cov, out: SymDense | None = None) -> SymDense:
    """The correlation matrix of the covariance matrix ``cov`` (Gonum's ``CovToCorr``,
    which works in place; here ``out`` may be ``cov`` itself).

    Parameters
    ----------
    cov : SymDense or array_like
        A symmetric p×p covariance matrix.
    out : SymDense, optional
        Receiver (empty or p×p); may be ``cov``.

    Returns
    -------
    SymDense

    Warns
    -----
    RuntimeWarning
        A zero variance: that row and column are NaN.

    Examples
    --------
    >>> from numkit import stat
    >>> r = stat.cov_to_corr([[4.0, 2.0], [2.0, 9.0]])
    >>> r.at(0, 1)
    0.3333333333333333
    """
    op = "cov_to_corr"
    C = np.array(_sym_values(cov, op, "cov"), dtype=np.float64)
    return _result(_scale_to_corr(C, op), out, op)


def corr_to_cov(corr, sigma: ArrayLike, out: SymDense | None = None) -> SymDense:
    """The covariance matrix with correlations ``corr`` and standard deviations
    ``sigma``: ``corr[i, j] sigma[i] sigma[j]`` (Gonum's ``CorrToCov``, in place there;
    here ``out`` may be ``corr`` itself).

    Parameters
    ----------
    corr : SymDense or array_like
        Symmetric p×p correlation matrix.
    sigma : array_like, shape (p,)
        Standard deviations.
    out : SymDense, optional
        Receiver (empty or p×p); may be ``corr``.

    Returns
    -------
    SymDense

    Raises
    ------
    ShapeError
        ``sigma`` is not of length p.

    Examples
    --------
    >>> from numkit import stat
    >>> c = stat.corr_to_cov([[1.0, 0.5], [0.5, 1.0]], [2.0, 3.0])
    >>> c.at(0, 0), c.at(0, 1)
    (4.0, 3.0)
    """
    op = "corr_to_cov"
    R = _sym_values(corr, op, "corr")
    s = as_data(sigma, op, "sigma").astype(np.float64, copy=False)
    if s.shape[0] != R.shape[0]:
        raise ShapeError(
            f"stat.{op}: sigma has length {s.shape[0]} but corr is {R.shape[0]}×{R.shape[1]}"
        )
    C = R * s[:, None] * s[None, :]
    return _result(C, out, op)


def mahalanobis(x: ArrayLike, y: ArrayLike, chol) -> float:
    """Mahalanobis distance ``sqrt((x - y)ᵀ Σ⁻¹ (x - y))`` with Σ given by its Cholesky
    factorization (Gonum's ``Mahalanobis``).

    Parameters
    ----------
    x, y : array_like, shape (p,)
        The two points.
    chol : numkit.mat.Cholesky
        The factorization of Σ (any object with ``solve_vec_to(dst, b)``).

    Returns
    -------
    float

    Raises
    ------
    ShapeError
        ``x`` and ``y`` of different lengths (or not matching ``chol``).

    Notes
    -----
    Solves Σ t = x - y with the factor (LAPACK ``dpotrs``) and returns
    ``sqrt(tᵀ (x - y))``; Σ⁻¹ is never formed.

    Examples
    --------
    >>> from numkit import stat
    >>> from numkit.mat import Cholesky
    >>> ch = Cholesky()
    >>> ch.factorize([[4.0, 0.0], [0.0, 1.0]])
    >>> stat.mahalanobis([2.0, 1.0], [0.0, 0.0], ch)
    1.4142135623730951
    """
    op = "mahalanobis"
    xv = as_data(x, op, "x").astype(np.float64, copy=False)
    yv = as_data(y, op, "y").astype(np.float64, copy=False)
    if xv.shape != yv.shape:
        raise ShapeError(f"stat.{op}: x has length {xv.shape[0]} but y has {yv.shape[0]}")
    diff = xv - yv
    t = VecDense()
    chol.solve_vec_to(t, diff)
    q = float(np.dot(np.asarray(t), diff))
    return math.sqrt(q) if q >= 0.0 else math.nan


class CovarianceAccumulator:
    """Streaming, mergeable weighted covariance of p variables.

    ``update`` adds rows (observations); ``merge`` adds another accumulator's data. A
    data set fed in chunks, or split across workers and merged, gives the answer of
    one :func:`covariance_matrix` call to rounding (~1e-13 relative).

    Parameters
    ----------
    p : int
        Number of variables (columns).

    Notes
    -----
    Each update is reduced by the same kernel as :func:`covariance_matrix`; partials
    ``(W, mean, C)`` merge by Chan et al.'s pairwise formula
    ``C = Ca + Cb + (Wa Wb / W) δ δᵀ`` with ``δ = mean_b - mean_a``. The first update
    fixes a shift (its first row); every mean is kept relative to it, so data with a
    large offset keep their digits across merges.

    Examples
    --------
    >>> from numkit import stat
    >>> acc = stat.CovarianceAccumulator(2)
    >>> acc.update([[1.0, 2.0], [2.0, 4.0]])
    >>> acc.update([[3.0, 7.0]])
    >>> acc.n, acc.covariance().at(0, 1)
    (3.0, 2.5)
    """

    __slots__ = ("_p", "_shift", "_w", "_mean", "_c")

    def __init__(self, p: int) -> None:
        if int(p) != p or p < 1:
            raise ValueError(f"CovarianceAccumulator: p must be a positive integer; got {p!r}")
        self._p = int(p)
        self._shift = None          # set by the first update
        self._w = 0.0
        self._mean = np.zeros(self._p)   # relative to _shift
        self._c = np.zeros((self._p, self._p))

    def _add(self, wb: float, mean_b: np.ndarray, cb: np.ndarray) -> None:
        if wb == 0.0:
            return
        wa = self._w
        W = wa + wb
        delta = mean_b - self._mean
        self._c += cb
        self._c += np.outer(delta, delta) * (wa * wb / W)
        self._mean = self._mean + delta * (wb / W)
        self._w = W

    def update(self, X: ArrayLike, weights: ArrayLike | None = None, *,
               nan_policy: str = "propagate") -> None:
        """Add the rows of ``X`` (n×p, or one row of length p) with frequency
        ``weights``.

        Raises
        ------
        ShapeError
            X does not have p columns.
        ValueError
            X not 2-D; bad weights; a NaN under ``nan_policy="raise"``.
        """
        op = "CovarianceAccumulator.update"
        check_nan_policy(nan_policy, op)
        X = _as_observations(X, op, self._p)
        w = as_weights(weights, X.shape[0], op)
        if w is not None:
            w = np.ascontiguousarray(w, dtype=np.float64)
        X, w = _drop_nan_rows(X, w, op, nan_policy)
        if X.shape[0] == 0:
            return
        if self._shift is None:
            self._shift = np.array(X[0], dtype=np.float64)
        mean = np.empty(self._p)
        C = np.empty((self._p, self._p))
        wb = _kernel_comoments(X, w, self._shift, mean, C)
        if wb == 0.0:
            return
        self._add(wb, mean, C)

    def merge(self, other: CovarianceAccumulator) -> None:
        """Add the data accumulated in ``other`` (left unchanged).

        Raises
        ------
        TypeError
            ``other`` is not a CovarianceAccumulator.
        ShapeError
            ``other`` has a different number of variables.
        """
        if not isinstance(other, CovarianceAccumulator):
            raise TypeError(
                f"CovarianceAccumulator.merge: other must be a CovarianceAccumulator; got "
                f"{type(other).__name__}")
        if other._p != self._p:
            raise ShapeError(
                f"CovarianceAccumulator.merge: other has {other._p} variables, this one "
                f"{self._p}")
        if other._shift is None or other._w == 0.0:
            return
        mean_b = other._mean
        if self._shift is None:
            self._shift = other._shift.copy()
        elif not np.array_equal(other._shift, self._shift):
            # (s_b - s_a) is exact when the shifts are close (Sterbenz)
            mean_b = (other._shift - self._shift) + mean_b
        self._add(other._w, mean_b, other._c)

    @property
    def n(self) -> float:
        """Total weight (the number of rows when unweighted)."""
        return self._w

    @property
    def mean(self) -> np.ndarray:
        """Weighted column means (NaN before any data)."""
        if self._shift is None or self._w == 0.0:
            return np.full(self._p, np.nan)
        return self._shift + self._mean

    def covariance(self) -> SymDense:
        """Sample covariance matrix ``C / (n - 1)`` (NaN before any data)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return SymDense._wrap(self._c / (self._w - 1.0)
                                  if self._w else np.full((self._p, self._p), np.nan))

    def correlation(self) -> SymDense:
        """Correlation matrix (NaN rows, with a RuntimeWarning, for constant
        variables)."""
        if self._w == 0.0:
            return SymDense._wrap(np.full((self._p, self._p), np.nan))
        return SymDense._wrap(_scale_to_corr(self._c.copy(), "CovarianceAccumulator"))

    def __repr__(self) -> str:
        return f"CovarianceAccumulator(p={self._p}, n={self._w:g})"
