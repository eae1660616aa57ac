"""LU: the LU factorization with partial pivoting, P A = L U (Gonum's ``mat.LU``)."""

from __future__ import annotations

import math

import numpy as np

from numkit._errstate import report_condition
from numkit._kernels import _blas, _reduce
from numkit._kernels import _solve as _ksolve
from numkit.errors import ShapeError
from numkit.mat._base import as_matrix, as_vector, check_square, dims_str
from numkit.mat._dense import Dense
from numkit.mat._solve import (
    CONDITION_TOLERANCE,
    check_finite,
    det_factors,
    log_det_factors,
    singular,
)
from numkit.mat._triangular import TriDense
from numkit.mat._vector import VecDense

__all__ = ["LU"]


class LU:
    """The LU factorization A = P L U of a square matrix, reusable (Gonum's ``LU``).

    ``P`` is a permutation, ``L`` unit lower triangular and ``U`` upper triangular.
    The object keeps its factors in a Fortran-ordered workspace that
    :meth:`factorize` reuses when it is called again with a matrix of the same
    order, so a loop that refactors allocates nothing.

    Notes
    -----
    As in Gonum, an exactly singular matrix (a zero pivot) is not an error at
    :meth:`factorize` time: :meth:`det` is 0, :meth:`cond` is inf, and
    :meth:`solve_to` raises :class:`~numkit.errors.SingularError`. The 1-norm
    condition number is estimated once per factorization (LAPACK dgecon); solves
    whose estimate exceeds 1e16 (Gonum's ``ConditionTolerance``) emit
    :class:`~numkit.errors.ConditionWarning` after writing their result (see
    :func:`numkit.errstate`).

    References
    ----------
    LAPACK dgetrf, dgetrs, dgecon. Golub & Van Loan, *Matrix Computations*, 4th ed.,
    §3.4.

    Examples
    --------
    >>> from numkit.mat import Dense, VecDense
    >>> from numkit.mat import LU
    >>> lu = LU()
    >>> lu.factorize(Dense(2, 2, [4.0, 3.0, 6.0, 3.0]))
    >>> lu.det()
    -6.0
    >>> x = VecDense()
    >>> lu.solve_vec_to(x, [10.0, 12.0])
    >>> x.at_vec(0), x.at_vec(1)
    (1.0, 2.0)
    """

    __slots__ = ("_lu", "_work", "_ipiv", "_info", "_cond", "__weakref__")

    def __init__(self) -> None:
        self._lu: np.ndarray | None = None   # n×n, Fortran order: L below, U on/above
        self._work: np.ndarray | None = None  # the storage _lu uses, kept by reset
        self._ipiv = np.empty(0, dtype=np.int32)  # LAPACK's 1-based interchanges
        self._info = 0
        self._cond = math.inf

    # -- factorization -------------------------------------------------------------

    def factorize(self, a) -> None:
        """Compute the LU factorization of the square matrix ``a`` (dgetrf), and its
        1-norm condition number estimate (dgecon).

        Parameters
        ----------
        a : matrix or array-like
            A square matrix; any strides, orders and read-only inputs are fine (it is
            copied into the object's workspace, never modified).

        Raises
        ------
        ShapeError
            If ``a`` is not square.
        ValueError
            If ``a`` holds NaN or inf.
        """
        op = "LU.factorize"
        A = as_matrix(a, op, "a")
        check_square(op, "a", A, "LU factors square matrices; use QR for others")
        n = A.shape[0]
        anorm = _reduce.norm1(A) if n else 0.0
        if not math.isfinite(anorm):
            check_finite(op, "a", A)
        w = self._workspace(n)
        w[...] = A
        self._lu = w
        self._refresh(_blas.getrf(w, self._ipiv), anorm)

    def _workspace(self, n: int) -> np.ndarray:
        """The n×n Fortran-ordered factor storage, allocated only when n changes."""
        w = self._work
        if w is None or w.shape != (n, n):
            w = self._work = np.empty((n, n), order="F")
            self._ipiv = np.empty(n, dtype=np.int32)
        return w

    def _refresh(self, info: int, anorm: float) -> None:
        self._info = info
        if info > 0:
            self._cond = math.inf
            return
        rcond = _blas.gecon(self._lu, anorm, True)
        self._cond = math.inf if rcond == 0.0 else 1.0 / rcond

    def is_empty(self) -> bool:
        """Whether the object holds no factorization (Gonum's ``IsEmpty``)."""
        return self._lu is None

    def reset(self) -> None:
        """Forget the factorization, so that :meth:`is_empty` is True. The
        workspace is kept for the next :meth:`factorize` of the same order."""
        self._lu = None
        self._cond = math.inf

    def _factors(self, op: str) -> np.ndarray:
        if self._lu is None:
            raise ValueError(f"{op}: the LU holds no factorization; call factorize first")
        return self._lu

    # -- scalars ---------------------------------------------------------------------

    def cond(self) -> float:
        """The 1-norm condition number estimate of the factorized matrix (dgecon);
        inf when it is exactly singular."""
        self._factors("LU.cond")
        return self._cond

    def det(self) -> float:
        """The determinant of the factorized matrix (0.0 when exactly singular)."""
        return det_factors(self._factors("LU.det"), self._ipiv)

    def log_det(self) -> tuple[float, float]:
        """``(log|det|, sign)`` of the factorized matrix; ``(-inf, 0.0)`` when
        exactly singular (numpy's ``slogdet`` convention)."""
        return log_det_factors(self._factors("LU.log_det"), self._ipiv)

    # -- factors ---------------------------------------------------------------------

    def l_to(self, dst: TriDense) -> None:
        """Write the unit lower triangular factor L into ``dst`` (an empty TriDense,
        or a lower one of the factor's order)."""
        w = self._factors("LU.l_to")
        out = dst._reuse_as(w.shape[0], "lower", "LU.l_to")
        out[...] = np.tril(w, -1)
        np.fill_diagonal(out, 1.0)

    def l(self) -> TriDense:  # noqa: E743 - Gonum's name
        """The unit lower triangular factor L as a new TriDense."""
        dst = TriDense()
        self.l_to(dst)
        return dst

    def u_to(self, dst: TriDense) -> None:
        """Write the upper triangular factor U into ``dst`` (an empty TriDense, or
        an upper one of the factor's order)."""
        w = self._factors("LU.u_to")
        out = dst._reuse_as(w.shape[0], "upper", "LU.u_to")
        out[...] = np.triu(w)

    def u(self) -> TriDense:
        """The upper triangular factor U as a new TriDense."""
        dst = TriDense()
        self.u_to(dst)
        return dst

    def pivot(self) -> np.ndarray:
        """The row permutation as an int array ``p``: row ``i`` of A is row ``p[i]``
        of L U, i.e. ``a == (L @ U)[p]``, and A = P L U with ``P[i, p[i]] = 1``
        (Gonum's ``RowPivots``).

        Examples
        --------
        >>> import numpy as np
        >>> from numkit.mat import LU
        >>> a = np.array([[1.0, 2.0], [3.0, 4.0]])
        >>> lu = LU(); lu.factorize(a)
        >>> p = lu.pivot()
        >>> p
        array([1, 0])
        >>> np.allclose((np.asarray(lu.l()) @ np.asarray(lu.u()))[p], a)
        True
        """
        self._factors("LU.pivot")
        n = self._ipiv.shape[0]
        rows = np.arange(n)
        for i, j in enumerate(self._ipiv - 1):  # n swaps of O(1): LAPACK's order
            if i != j:
                rows[i], rows[j] = rows[j], rows[i]
        p = np.empty(n, dtype=np.intp)
        p[rows] = np.arange(n)
        return p

    def pivot_to(self, dst: Dense) -> None:
        """Write the permutation matrix P with A = P L U into ``dst`` (Gonum's
        ``PivotTo``)."""
        p = self.pivot()
        n = p.shape[0]
        out = dst._reuse_as(n, n, "LU.pivot_to")
        out[...] = 0.0
        out[np.arange(n), p] = 1.0

    # -- solves ----------------------------------------------------------------------

    def _solve(self, op: str, B: np.ndarray, X: np.ndarray, trans: bool) -> None:
        w = self._factors(op)
        if self._info > 0:
            raise singular(op, "the factorized matrix")
        if X.size:
            check_finite(op, "b", B)
            rhs = np.array(B, order="F")
            _blas.getrs(w, self._ipiv, rhs, bool(trans))
            X[...] = rhs
        if self._cond > CONDITION_TOLERANCE:
            report_condition(op, self._cond, stacklevel=4)

    def solve_to(self, dst: Dense, b, trans: bool = False) -> None:
        """Solve A X = B (or Aᵀ X = B with ``trans``) into ``dst`` (dgetrs).

        Parameters
        ----------
        dst : Dense
            The receiver: empty, or n×k for a n×k ``b``. It may be ``b`` itself.
        b : matrix or array-like
            The right-hand sides, n×k.
        trans : bool
            Solve with Aᵀ instead of A.

        Raises
        ------
        ShapeError
            If ``b`` does not have n rows, or ``dst`` has the wrong shape.
        SingularError
            If the factorized matrix is exactly singular.
        ValueError
            If ``b`` holds NaN or inf, or the LU is empty.

        Warns
        -----
        ConditionWarning
            If the condition number estimate exceeds 1e16 (the result is written).
        """
        op = "LU.solve_to"
        n = self._factors(op).shape[0]
        B = as_matrix(b, op, "b")
        if B.shape[0] != n:
            raise ShapeError(
                f"{op}: the factorized matrix is {n}×{n} but b is {dims_str(B.shape)} "
                f"(b needs {n} rows)"
            )
        X = dst._reuse_as(n, B.shape[1], op)
        self._solve(op, B, X, trans)

    def solve_vec_to(self, dst: VecDense, b, trans: bool = False) -> None:
        """Solve A x = b (or Aᵀ x = b) for a vector ``b`` into ``dst`` (dgetrs); as
        :meth:`solve_to` otherwise."""
        op = "LU.solve_vec_to"
        n = self._factors(op).shape[0]
        bv = as_vector(b, op, "b")
        if bv.shape[0] != n:
            raise ShapeError(
                f"{op}: the factorized matrix is {n}×{n} but b has length {bv.shape[0]}"
            )
        x = dst._reuse_as(n, op)
        self._solve(op, bv[:, None], x[:, None], trans)

    # -- update ------------------------------------------------------------------------

    def rank_one(self, orig: LU, alpha: float, x, y) -> None:
        """Set the receiver to the LU factorization of A + alpha x yᵀ, where A is the
        matrix ``orig`` factorizes, in O(n²) (Gonum's ``LU.RankOne``).

        ``orig`` may be the receiver itself. The pivots of ``orig`` are kept, as in
        Gonum, so the update is not backward stable in general: check :meth:`cond`,
        or refactor when the update is large. The condition number is re-estimated
        with ‖L‖₁‖U‖₁ standing for ‖A + alpha x yᵀ‖₁ (the updated matrix is not
        stored), which can only overestimate it.

        Raises
        ------
        ShapeError
            If ``x`` or ``y`` does not have the factorized matrix's order.
        ValueError
            If ``orig`` is empty, or ``alpha``, ``x`` or ``y`` hold NaN or inf.

        References
        ----------
        J. M. Bennett, "Triangular factors of modified matrices", Numerische
        Mathematik 7 (1965) 217–221.

        Examples
        --------
        >>> import numpy as np
        >>> from numkit.mat import LU
        >>> a = np.array([[4.0, 1.0], [2.0, 3.0]])
        >>> lu = LU(); lu.factorize(a)
        >>> lu.rank_one(lu, 2.0, [1.0, 0.0], [0.0, 1.0])   # a[0, 1] += 2
        >>> round(lu.det(), 12)
        6.0
        """
        op = "LU.rank_one"
        w0 = orig._factors(op)
        n = w0.shape[0]
        xv = as_vector(x, op, "x")
        yv = as_vector(y, op, "y")
        for name, v in (("x", xv), ("y", yv)):
            if v.shape[0] != n:
                raise ShapeError(
                    f"{op}: the factorized matrix is {n}×{n} but {name} has length "
                    f"{v.shape[0]}"
                )
            check_finite(op, name, v)
        if not math.isfinite(alpha):
            raise ValueError(f"{op}: alpha must be finite; got {alpha!r}")
        if orig is not self:
            w = self._workspace(n)
            w[...] = w0
            self._ipiv[...] = orig._ipiv
            self._lu = w
        if orig._info > 0:
            # Bennett's recurrence divides by U's diagonal: refactor the sum instead.
            a = self._reconstruct() + float(alpha) * np.outer(xv, yv)
            self.factorize(a)
            return
        bound = _ksolve.lu_rank_one(self._lu, self._ipiv, float(alpha), xv, yv)
        info = int(np.count_nonzero(self._lu.diagonal() == 0.0))
        self._refresh(info, bound)

    def _reconstruct(self) -> np.ndarray:
        """A = P L U (O(n³); only for the rare update of a singular factorization)."""
        w = self._lu
        lower = np.tril(w, -1) + np.eye(w.shape[0])
        return (lower @ np.triu(w))[self.pivot()]
