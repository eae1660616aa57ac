"""QR and LQ: Householder factorizations for least squares and minimum-norm solves
(Gonum's ``mat.QR`` and ``mat.LQ``), on LAPACK's dgeqrf/dgelqf.

The helpers at the top (workspace reuse, finiteness, receivers) are shared with
``_svd`` and ``_eigen``.
"""

from __future__ import annotations

import math

import numpy as np

from numkit._errstate import report_condition
from numkit._kernels import _blas, _reduce
from numkit.errors import ShapeError, SingularError
from numkit.mat._base import as_matrix, as_vector, dims_str
from numkit.mat._dense import Dense
from numkit.mat._vector import VecDense

__all__ = ["LQ", "QR"]

# 1e16: Gonum's ConditionTolerance.
CONDITION_TOLERANCE = 1e16


# -- helpers shared by the decompositions -----------------------------------------


def _workspace(buf: np.ndarray | None, shape: tuple[int, ...], order: str = "F") -> np.ndarray:
    """``buf`` when it already has ``shape`` (and ``order``), else a new array: the
    workspace a decomposition keeps between calls of ``factorize``."""
    if buf is not None and buf.shape == shape:
        return buf
    return np.empty(shape, order=order)


def _require_finite(op: str, name: str, a: np.ndarray) -> None:
    """Raise ValueError when ``a`` holds NaN or ±inf (LAPACK would return garbage or
    loop). One pass, no temporary."""
    if a.size == 0:
        return
    if a.ndim == 1:
        a = a[:, None]
    # Visit memory in its own order: the kernel loops over rows, then columns.
    if a.shape[1] > 1 and a.strides[1] != 8 and a.strides[0] == 8:
        a = a.T
    if not math.isfinite(_reduce.max_abs2d(a)):
        raise ValueError(
            f"{op}: {name} contains NaN or infinity; LAPACK cannot factorize it. "
            f"Remove or replace the non-finite values first"
        )


def _dense_receiver(dst, r: int, c: int, op: str) -> np.ndarray:
    """The r×c storage of the Dense receiver ``dst`` (empty or of that shape)."""
    if not isinstance(dst, Dense):
        raise TypeError(
            f"{op}: dst must be a numkit.mat.Dense (empty or {r}×{c}); got "
            f"{type(dst).__name__}"
        )
    return dst._reuse_as(r, c, op)


def _vec_receiver(dst, n: int, op: str) -> np.ndarray:
    """The length-n storage of the VecDense receiver ``dst`` (empty or of length n)."""
    if not isinstance(dst, VecDense):
        raise TypeError(
            f"{op}: dst must be a numkit.mat.VecDense (empty or of length {n}); got "
            f"{type(dst).__name__}"
        )
    return dst._reuse_as(n, op)


def _array_receiver(dst, shape: tuple[int, ...], dtype, op: str) -> np.ndarray:
    """``dst`` checked as a writeable ndarray of ``shape`` and ``dtype``."""
    if not isinstance(dst, np.ndarray) or dst.dtype != dtype:
        got = f"ndarray of {dst.dtype}" if isinstance(dst, np.ndarray) else type(dst).__name__
        raise TypeError(f"{op}: dst must be a {np.dtype(dtype).name} ndarray; got {got}")
    if dst.shape != shape:
        raise ShapeError(
            f"{op}: dst has shape {dims_str(dst.shape)} but the result has shape "
            f"{dims_str(shape)}"
        )
    if not dst.flags.writeable:
        raise ValueError(f"{op}: dst is read-only")
    return dst


def _not_factorized(op: str, kind: str) -> ValueError:
    return ValueError(f"{op}: no successful factorization; call {kind}.factorize first")


def _rhs(b, op: str, rows: int, a_shape: tuple[int, int], what: str) -> np.ndarray:
    """``b`` as a finite matrix with ``rows`` rows."""
    B = as_matrix(b, op, "b")
    if B.shape[0] != rows:
        raise ShapeError(
            f"{op}: the factorized matrix is {dims_str(a_shape)} so b must have {rows} "
            f"rows ({what}); got {dims_str(B.shape)}"
        )
    _require_finite(op, "b", B)
    return B


def _triangular_solve(op: str, t: np.ndarray, x: np.ndarray, upper: bool,
                      trans: bool) -> None:
    """Solve op(T) X = B in place in the Fortran array ``x`` (dtrtrs); an exactly zero
    diagonal element raises SingularError."""
    info = _blas.trtrs(t, x, upper=upper, trans=trans)
    if info > 0:
        raise SingularError(
            f"{op}: the triangular factor has an exact zero at diagonal position "
            f"{info - 1}, so the matrix is rank-deficient; use SVD.solve_to for a "
            f"minimum-norm least-squares solution"
        )


def _write_result(op: str, dst, x: np.ndarray, vector: bool) -> None:
    if vector:
        np.copyto(_vec_receiver(dst, x.shape[0], op), x[:, 0])
    else:
        np.copyto(_dense_receiver(dst, x.shape[0], x.shape[1], op), x)


# -- QR ---------------------------------------------------------------------------


class QR:
    """The QR factorization A = Q R of an m×n matrix with m ≥ n (Gonum's ``mat.QR``).

    Q is m×m orthogonal and R is m×n upper triangular. ``factorize`` keeps LAPACK's
    compact form (R above the diagonal, Householder reflectors below) in a
    Fortran-ordered workspace that is reused when the shape repeats.

    Notes
    -----
    The condition number is estimated at ``factorize`` time from R (LAPACK
    ``dtrcon``, infinity norm, as Gonum does): since Q is orthogonal, κ(A) = κ(R) in
    the 2-norm. :meth:`solve_to` reports it through :func:`numkit.errstate` when it
    exceeds 1e16.

    References
    ----------
    LAPACK ``dgeqrf`` (Householder QR), ``dorgqr``, ``dormqr``, ``dtrtrs``,
    ``dtrcon``. G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed.,
    §5.2 and §5.3.

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.mat import Dense
    >>> qr = QR()
    >>> qr.factorize([[1.0], [1.0], [1.0]])
    >>> x = Dense()
    >>> qr.solve_to(x, [[1.0], [2.0], [6.0]])   # least squares: the mean
    >>> np.round(np.asarray(x), 12)
    array([[3.]])
    >>> qr.q().dims(), qr.r().dims(), qr.q(thin=True).dims()
    ((3, 3), (3, 1), (3, 1))
    """

    __slots__ = ("_qr", "_tau", "_cond", "_ok")

    def __init__(self) -> None:
        self._qr: np.ndarray | None = None
        self._tau: np.ndarray | None = None
        self._cond = math.inf
        self._ok = False

    def factorize(self, a) -> None:
        """Compute the QR factorization of ``a`` (m×n with m ≥ n).

        Parameters
        ----------
        a : array-like or numkit matrix
            The matrix; it is copied, never modified.

        Raises
        ------
        ShapeError
            If ``a`` has fewer rows than columns (use :class:`LQ`).
        ValueError
            If ``a`` contains NaN or infinity.
        """
        op = "QR.factorize"
        arr = as_matrix(a, op, "a")
        m, n = arr.shape
        if m < n:
            raise ShapeError(
                f"{op}: a is {m}×{n}; QR needs at least as many rows as columns "
                f"(m ≥ n, as Gonum); use LQ for a wide matrix"
            )
        _require_finite(op, "a", arr)
        self._ok = False
        work = self._qr = _workspace(self._qr, (m, n))
        np.copyto(work, arr)
        tau = self._tau = _workspace(self._tau, (n,))
        _blas.geqrf(work, tau)
        rcond = _blas.trcon(work, n, upper=True, one_norm=False)
        self._cond = 1.0 / rcond if rcond > 0 else math.inf
        self._ok = True

    def _factors(self, op: str) -> np.ndarray:
        if not self._ok:
            raise _not_factorized(op, "QR")
        return self._qr

    def cond(self) -> float:
        """The condition number of the factorized matrix, estimated from R in the
        infinity norm (LAPACK ``dtrcon``); ``inf`` when R has a zero diagonal."""
        self._factors("QR.cond")
        return self._cond

    def q_to(self, dst: Dense, thin: bool = False) -> None:
        """Write Q into ``dst``: m×m (Gonum's ``QTo``), or m×n with ``thin=True``.

        Raises
        ------
        ShapeError
            If ``dst`` is neither empty nor of Q's shape.
        """
        op = "QR.q_to"
        f = self._factors(op)
        np.copyto(_dense_receiver(dst, f.shape[0], f.shape[1] if thin else f.shape[0], op),
                  self._form_q(thin))

    def q(self, thin: bool = False) -> Dense:
        """Q as a new Dense (see :meth:`q_to`)."""
        self._factors("QR.q")
        return Dense._wrap(np.ascontiguousarray(self._form_q(thin)))

    def _form_q(self, thin: bool) -> np.ndarray:
        f = self._qr
        m, n = f.shape
        if thin:
            q = np.array(f, order="F")
        else:
            q = np.empty((m, m), order="F")
            q[:, :n] = f
        _blas.orgqr(q, self._tau)
        return q

    def r_to(self, dst: Dense, thin: bool = False) -> None:
        """Write R into ``dst``: m×n upper triangular (Gonum's ``RTo``, zero rows below
        n), or n×n with ``thin=True``.

        Raises
        ------
        ShapeError
            If ``dst`` is neither empty nor of R's shape.
        """
        op = "QR.r_to"
        f = self._factors(op)
        rows = f.shape[1] if thin else f.shape[0]
        out = _dense_receiver(dst, rows, f.shape[1], op)
        np.copyto(out, f[:rows])
        out[np.tri(rows, f.shape[1], -1, dtype=bool)] = 0.0

    def r(self, thin: bool = False) -> Dense:
        """R as a new Dense (see :meth:`r_to`)."""
        self._factors("QR.r")
        out = Dense()
        self.r_to(out, thin)
        return out

    def solve_to(self, dst: Dense, b, trans: bool = False) -> None:
        """Solve a least-squares or minimum-norm problem with the factorized A.

        With ``trans=False`` find X (n×k) minimising ‖A X − B‖₂ for B m×k; with
        ``trans=True`` find the minimum-norm X (m×k) solving Aᵀ X = B for B n×k
        (Gonum's ``QR.SolveTo``).

        Parameters
        ----------
        dst : Dense
            Receiver, empty or of X's shape. It may share memory with ``b``.
        b : array-like or numkit matrix
            Right-hand sides in columns (a 1-D array is one column).
        trans : bool, optional
            Solve with Aᵀ instead of A.

        Raises
        ------
        SingularError
            If R has an exactly zero diagonal element (A is rank-deficient).
        ShapeError
            If ``b`` or ``dst`` has the wrong shape.
        ValueError
            If ``b`` contains NaN or infinity, or nothing was factorized.
        ConditionError
            Under ``errstate(condition="raise")`` when the condition number exceeds
            1e16 (the result has been written).

        Warns
        -----
        ConditionWarning
            When the condition number estimate exceeds 1e16 (Gonum's
            ``ConditionTolerance``).
        """
        self._solve("QR.solve_to", dst, b, trans, vector=False)

    def solve_vec_to(self, dst: VecDense, b, trans: bool = False) -> None:
        """:meth:`solve_to` for one right-hand side vector; ``dst`` is a VecDense."""
        self._solve("QR.solve_vec_to", dst, b, trans, vector=True)

    def _solve(self, op: str, dst, b, trans: bool, vector: bool) -> None:
        f = self._factors(op)
        m, n = f.shape
        B = as_vector(b, op, "b")[:, None] if vector else as_matrix(b, op, "b")
        B = _rhs(B, op, n if trans else m, f.shape, "Aᵀ X = B" if trans else "A X = B")
        r = np.asfortranarray(f[:n])
        if not trans:
            x = np.array(B, order="F")
            _blas.ormqr(f, self._tau, x, left=True, trans=True)
            top = np.asfortranarray(x[:n])
            _triangular_solve(op, r, top, upper=True, trans=False)
        else:
            top = np.array(B, order="F")
            _triangular_solve(op, r, top, upper=True, trans=True)
            x = np.zeros((m, B.shape[1]), order="F")
            x[:n] = top
            _blas.ormqr(f, self._tau, x, left=True, trans=False)
            top = x
        _write_result(op, dst, top, vector)
        if self._cond > CONDITION_TOLERANCE:
            report_condition(op, self._cond)


# -- LQ ---------------------------------------------------------------------------


class LQ:
    """The LQ factorization A = L Q of an m×n matrix with m ≤ n (Gonum's ``mat.LQ``).

    L is m×n lower triangular and Q is n×n orthogonal. ``factorize`` keeps LAPACK's
    compact form in a Fortran-ordered workspace reused when the shape repeats.

    Notes
    -----
    The condition number is estimated from L (LAPACK ``dtrcon``, infinity norm, as
    Gonum does); :meth:`solve_to` reports it above 1e16.

    References
    ----------
    LAPACK ``dgelqf``, ``dorglq``, ``dormlq``, ``dtrtrs``, ``dtrcon``. Golub and Van
    Loan, *Matrix Computations*, 4th ed., §5.6 (underdetermined systems).

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.mat import VecDense
    >>> lq = LQ()
    >>> lq.factorize([[1.0, 1.0]])
    >>> x = VecDense()
    >>> lq.solve_vec_to(x, [2.0])      # the minimum-norm solution of x0 + x1 = 2
    >>> np.round(np.asarray(x), 12)
    array([1., 1.])
    """

    __slots__ = ("_lq", "_tau", "_cond", "_ok")

    def __init__(self) -> None:
        self._lq: np.ndarray | None = None
        self._tau: np.ndarray | None = None
        self._cond = math.inf
        self._ok = False

    def factorize(self, a) -> None:
        """Compute the LQ factorization of ``a`` (m×n with m ≤ n).

        Raises
        ------
        ShapeError
            If ``a`` has more rows than columns (use :class:`QR`).
        ValueError
            If ``a`` contains NaN or infinity.
        """
        op = "LQ.factorize"
        arr = as_matrix(a, op, "a")
        m, n = arr.shape
        if m > n:
            raise ShapeError(
                f"{op}: a is {m}×{n}; LQ needs at most as many rows as columns "
                f"(m ≤ n, as Gonum); use QR for a tall matrix"
            )
        _require_finite(op, "a", arr)
        self._ok = False
        work = self._lq = _workspace(self._lq, (m, n))
        np.copyto(work, arr)
        tau = self._tau = _workspace(self._tau, (m,))
        _blas.gelqf(work, tau)
        rcond = _blas.trcon(work, m, upper=False, one_norm=False)
        self._cond = 1.0 / rcond if rcond > 0 else math.inf
        self._ok = True

    def _factors(self, op: str) -> np.ndarray:
        if not self._ok:
            raise _not_factorized(op, "LQ")
        return self._lq

    def cond(self) -> float:
        """The condition number estimated from L in the infinity norm (``dtrcon``)."""
        self._factors("LQ.cond")
        return self._cond

    def l_to(self, dst: Dense, thin: bool = False) -> None:  # noqa: E743 - Gonum's LTo
        """Write L into ``dst``: m×n lower triangular (Gonum's ``LTo``), or m×m with
        ``thin=True``."""
        op = "LQ.l_to"
        f = self._factors(op)
        cols = f.shape[0] if thin else f.shape[1]
        out = _dense_receiver(dst, f.shape[0], cols, op)
        np.copyto(out, f[:, :cols])
        out[~np.tri(f.shape[0], cols, 0, dtype=bool)] = 0.0

    def l(self, thin: bool = False) -> Dense:  # noqa: E743 - Gonum's name
        """L as a new Dense (see :meth:`l_to`)."""
        self._factors("LQ.l")
        out = Dense()
        self.l_to(out, thin)
        return out

    def q_to(self, dst: Dense, thin: bool = False) -> None:
        """Write Q into ``dst``: n×n (Gonum's ``QTo``), or m×n with orthonormal rows
        with ``thin=True``."""
        op = "LQ.q_to"
        f = self._factors(op)
        rows = f.shape[0] if thin else f.shape[1]
        np.copyto(_dense_receiver(dst, rows, f.shape[1], op), self._form_q(thin))

    def q(self, thin: bool = False) -> Dense:
        """Q as a new Dense (see :meth:`q_to`)."""
        self._factors("LQ.q")
        return Dense._wrap(np.ascontiguousarray(self._form_q(thin)))

    def _form_q(self, thin: bool) -> np.ndarray:
        f = self._lq
        m, n = f.shape
        if thin:
            q = np.array(f, order="F")
        else:
            q = np.empty((n, n), order="F")
            q[:m] = f
        _blas.orglq(q, self._tau)
        return q

    def solve_to(self, dst: Dense, b, trans: bool = False) -> None:
        """Solve a minimum-norm or least-squares problem with the factorized A.

        With ``trans=False`` find the minimum-norm X (n×k) solving A X = B for B m×k;
        with ``trans=True`` find X (m×k) minimising ‖Aᵀ X − B‖₂ for B n×k (Gonum's
        ``LQ.SolveTo``).

        Raises
        ------
        SingularError
            If L has an exactly zero diagonal element (A is rank-deficient).
        ShapeError
            If ``b`` or ``dst`` has the wrong shape.
        ValueError
            If ``b`` contains NaN or infinity, or nothing was factorized.

        Warns
        -----
        ConditionWarning
            When the condition number estimate exceeds 1e16.
        """
        self._solve("LQ.solve_to", dst, b, trans, vector=False)

    def solve_vec_to(self, dst: VecDense, b, trans: bool = False) -> None:
        """:meth:`solve_to` for one right-hand side vector; ``dst`` is a VecDense."""
        self._solve("LQ.solve_vec_to", dst, b, trans, vector=True)

    def _solve(self, op: str, dst, b, trans: bool, vector: bool) -> None:
        f = self._factors(op)
        m, n = f.shape
        B = as_vector(b, op, "b")[:, None] if vector else as_matrix(b, op, "b")
        B = _rhs(B, op, n if trans else m, f.shape, "Aᵀ X = B" if trans else "A X = B")
        low = np.asfortranarray(f[:, :m])
        if not trans:
            top = np.array(B, order="F")
            _triangular_solve(op, low, top, upper=False, trans=False)
            x = np.zeros((n, B.shape[1]), order="F")
            x[:m] = top
            _blas.ormlq(f, self._tau, x, left=True, trans=True)
        else:
            y = np.array(B, order="F")
            _blas.ormlq(f, self._tau, y, left=True, trans=False)
            x = np.asfortranarray(y[:m])
            _triangular_solve(op, low, x, upper=False, trans=True)
        _write_result(op, dst, x, vector)
        if self._cond > CONDITION_TOLERANCE:
            report_condition(op, self._cond)
