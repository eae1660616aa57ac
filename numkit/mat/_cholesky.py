"""Cholesky: a symmetric positive definite matrix held as its Cholesky factor
(Gonum's ``mat.Cholesky``), with O(n²) rank-one updates and downdates."""

from __future__ import annotations

import math

import numpy as np

from numkit._errstate import report_condition
from numkit._kernels import _blas, _cholesky
from numkit.errors import NotPositiveDefiniteError, ShapeError, SingularError
from numkit.mat._base import alias_guard, as_matrix, as_vector, check_square, dims_str
from numkit.mat._dense import Dense
from numkit.mat._symmetric import SYMMETRY_RTOL, SymDense, _mirror_upper
from numkit.mat._triangular import TriDense
from numkit.mat._vector import VecDense

__all__ = ["Cholesky"]

# 1e16: Gonum's ConditionTolerance.
CONDITION_TOLERANCE = 1e16


def _finite_or_raise(op: str, name: str, a: np.ndarray) -> None:
    """ValueError naming the first NaN/inf of ``a`` (LAPACK must never see one)."""
    bad = ~np.isfinite(a)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{op}: {name} contains {a[where]} at {list(where)}; NaN and inf have no "
            f"Cholesky factorization (remove or replace them first)"
        )


def _worst_asymmetry(diff: np.ndarray) -> tuple[int, int]:
    """Index (i, j), i < j, of the largest |diff|, NaN counting as largest."""
    d = np.abs(diff)
    d[np.isnan(d)] = np.inf
    i, j = np.unravel_index(int(np.argmax(d)), d.shape)
    return int(i), int(j)


class Cholesky:
    """A symmetric positive definite matrix A represented by its Cholesky factor
    A = UᵀU = LLᵀ (Gonum's ``mat.Cholesky``).

    ``Cholesky()`` is empty; :meth:`factorize` fills it and reuses its workspace when
    called again with a matrix of the same size, so a loop of factorizations
    allocates nothing. The factor can be updated in O(n²) instead of refactorized in
    O(n³) (:meth:`sym_rank_one`, :meth:`scale`, :meth:`extend_vec_sym`).

    Notes
    -----
    The factor is kept as the upper triangle of a row-major array, which is the
    lower triangle of the Fortran-ordered workspace LAPACK factorizes (``dpotrf``
    with ``uplo='L'``), so neither side transposes or copies.

    Methods that read the factorization raise ValueError on an empty Cholesky.
    The condition number is estimated (``dpocon``) when first needed — by
    :meth:`cond`, a solve or :meth:`inverse_to` — not by :meth:`factorize`, so a
    caller who wants only the factor, ``det`` or ``log_det`` does not pay the
    estimator's extra pass over the factor; an update marks it stale in the same way,
    so the update itself stays O(n²). Where Gonum returns a
    ``Condition`` error, numkit reports through :func:`numkit.errstate`:
    a :class:`~numkit.errors.ConditionWarning` by default.

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.mat import SymDense
    >>> c = Cholesky()
    >>> c.factorize(SymDense(2, [4, 2,
    ...                          2, 5]))
    >>> round(c.det(), 12)
    16.0
    >>> x = VecDense()
    >>> c.solve_vec_to(x, [6, 7])
    >>> np.asarray(x)
    array([1., 1.])
    """

    __slots__ = ("_work", "_u", "_n", "_cond", "_anorm", "_colsum", "_vectors")

    def __init__(self) -> None:
        self._work: np.ndarray | None = None     # Fortran-ordered, factor in its lower
        self._u: np.ndarray | None = None        # self._work.T: U in its upper triangle
        self._n: int | None = None                # None: nothing factorized
        self._cond: float | None = None           # None: to be estimated when needed
        self._anorm: float | None = None          # ‖A‖₁ of the factorized matrix, if known
        self._colsum: np.ndarray | None = None
        self._vectors: np.ndarray | None = None

    # -- state and workspace -------------------------------------------------------

    def _workspace(self, n: int) -> np.ndarray:
        """The Fortran-ordered n×n workspace, reused when the size repeats."""
        w = self._work
        if w is None or w.shape != (n, n):
            w = np.empty((n, n), order="F")
            self._work = w
            self._u = w.T
            self._colsum = np.empty(n)
        return w

    def _scratch(self, n: int) -> np.ndarray:
        """Three length-n scratch vectors (rows of one reused buffer)."""
        v = self._vectors
        if v is None or v.shape[1] != n:
            v = np.empty((3, n))
            self._vectors = v
        return v

    def _check_valid(self, op: str, name: str = "the receiver") -> int:
        if self._n is None:
            raise ValueError(
                f"{op}: {name} holds no factorization; call factorize first "
                f"(Gonum: mat: invalid Cholesky factorization)"
            )
        return self._n

    def _check_receiver(self, n: int, op: str) -> None:
        """An update receiver must be empty or of the result's size (Gonum)."""
        if self._n is not None and self._n != n:
            raise ShapeError(
                f"{op}: the receiver holds a {self._n}×{self._n} factorization but the "
                f"result is {n}×{n}; pass an empty Cholesky() or reset() it"
            )

    def _take(self, other: Cholesky) -> None:
        """Copy ``other``'s factor into the receiver's workspace."""
        if other is not self:
            np.copyto(self._workspace(other._n), other._work)
            self._n = other._n
            self._cond = other._cond
            self._anorm = other._anorm

    def is_empty(self) -> bool:
        """Whether the receiver holds no factorization, or that of a 0×0 matrix
        (Gonum's ``IsEmpty``); an empty Cholesky can receive any size."""
        return not self._n

    def reset(self) -> None:
        """Forget the factorization, keeping the workspace for the next
        :meth:`factorize` (Gonum's ``Reset``)."""
        self._n = None
        self._cond = None
        self._anorm = None

    def symmetric(self) -> int:
        """The order n of the factorized matrix, 0 when empty (Gonum's
        ``SymmetricDim``)."""
        return self._n or 0

    def __repr__(self) -> str:
        if self._n is None:
            return "Cholesky(empty)"
        return f"Cholesky({self._n}×{self._n})"

    # -- factorization ---------------------------------------------------------------

    def factorize(self, a) -> None:
        """Compute the Cholesky factorization of the symmetric positive definite ``a``.

        Parameters
        ----------
        a : SymDense or array-like
            A symmetric n×n matrix. Its upper triangle is what is factorized; a
            matrix that is not a SymDense must be symmetric within a relative
            ``sqrt(eps)`` of its largest element (the rule of every SymDense
            operand).

        Raises
        ------
        ShapeError
            If ``a`` is not square.
        ValueError
            If ``a`` contains NaN or inf, or is not symmetric.
        NotPositiveDefiniteError
            If ``a`` is not positive definite; the message names the leading minor
            where the factorization failed. The receiver is then empty.

        Notes
        -----
        ``a`` is copied into a Fortran-ordered workspace kept by the object (reused
        when the size repeats), scanned once for NaN/inf, symmetry and its 1-norm
        (``dlansy``) and factorized by LAPACK ``dpotrf``. The condition number is
        estimated by ``dpocon`` (Hager/Higham's 1-norm estimator) on first use —
        :meth:`cond`, the solves and :meth:`inverse_to` — which is where an
        ill-conditioned matrix is reported (Gonum's solves return its ``Condition``
        error there too).

        References
        ----------
        E. Anderson et al., LAPACK Users' Guide, 3rd ed., SIAM, 1999 (``dpotrf``,
        ``dpocon``).

        Examples
        --------
        >>> c = Cholesky()
        >>> c.factorize([[4.0, 2.0], [2.0, 3.0]])
        >>> c.u()
        TriDense(2×2)
        >>> c.factorize([[1.0, 2.0], [2.0, 1.0]])
        Traceback (most recent call last):
        ...
        numkit.errors.NotPositiveDefiniteError: Cholesky.factorize: a is not positive definite: its leading 2×2 minor is not positive definite
        """  # noqa: E501
        op = "Cholesky.factorize"
        if isinstance(a, SymDense):
            arr = a._a
            check_symmetry = False
        else:
            arr = as_matrix(a, op, "a")
            check_square(op, "a", arr, "Cholesky factorizes symmetric matrices")
            check_symmetry = True
        n = arr.shape[0]
        self._n = None
        self._cond = None
        w = self._workspace(n)
        u = self._u
        np.copyto(u, arr)
        norm, big, worst = _cholesky.scan_symmetric(u, self._colsum, check_symmetry)
        if not math.isfinite(norm):
            _finite_or_raise(op, "a", np.triu(u))
            if check_symmetry:
                _finite_or_raise(op, "a", arr)
        if check_symmetry and worst > SYMMETRY_RTOL * big:
            i, j = _worst_asymmetry(np.triu(u, 1) - np.triu(u.T, 1))
            raise ValueError(
                f"{op}: a is not symmetric: |a[{i}, {j}] - a[{j}, {i}]| = "
                f"|{arr[i, j]:.17g} - {arr[j, i]:.17g}| = {worst:.3g} exceeds "
                f"rtol·max|a| = {SYMMETRY_RTOL:.3g}·{big:.3g}; symmetrise it first "
                f"(e.g. (a + a.T) / 2) or pass a SymDense"
            )
        info = _blas.potrf(w, False)
        if info > 0:
            raise NotPositiveDefiniteError(
                f"{op}: a is not positive definite: its leading {info}×{info} minor is "
                f"not positive definite"
            )
        self._n = n
        self._anorm = norm

    # -- scalars ------------------------------------------------------------------

    def cond(self) -> float:
        """The estimated 1-norm condition number of A (``dpocon``; after an update
        with Gonum's bound ‖U‖₁‖Uᵀ‖₁ in place of ‖A‖₁).

        Examples
        --------
        >>> c = Cholesky()
        >>> c.factorize([[2.0, 0.0], [0.0, 8.0]])
        >>> c.cond()
        4.0
        """
        n = self._check_valid("Cholesky.cond")
        if self._cond is None:
            anorm = self._anorm
            if anorm is None:
                n1, ninf = _cholesky.triangle_norms(self._u)
                anorm = n1 * ninf
            rcond = _blas.pocon(self._work, anorm, False) if n else 1.0
            self._cond = 1.0 / rcond if rcond > 0 else math.inf
        return self._cond

    def log_det(self) -> float:
        """log det A = 2 Σ log U[i, i] (Gonum's ``LogDet``; A is positive definite,
        so there is no sign).

        Examples
        --------
        >>> c = Cholesky()
        >>> c.factorize([[1e200, 0.0], [0.0, 1e200]])
        >>> round(c.log_det(), 6)
        921.034037
        """
        self._check_valid("Cholesky.log_det")
        return 2.0 * float(np.log(np.diagonal(self._u)).sum())

    def det(self) -> float:
        """det A, as ``exp(log_det())`` (Gonum's ``Det``; it overflows to inf where
        :meth:`log_det` does not).

        Examples
        --------
        >>> c = Cholesky()
        >>> c.factorize([[2.0, 0.0], [0.0, 8.0]])
        >>> round(c.det(), 12)
        16.0
        """
        self._check_valid("Cholesky.det")
        return math.exp(self.log_det())

    # -- solves -------------------------------------------------------------------

    def _report(self, op: str) -> None:
        cond = self.cond()
        if cond > CONDITION_TOLERANCE:
            report_condition(op, cond, stacklevel=4)

    def solve_to(self, dst: Dense, b) -> None:
        """Set ``dst`` to X solving A X = B (LAPACK ``dpotrs``'s two triangular
        solves, ``dtrsm``, in row-major terms: no transposing copy).

        Parameters
        ----------
        dst : Dense
            Receiver: empty, or n×k. It may be ``b`` itself (solved in place).
        b : array-like
            The n×k right-hand side (a vector is n×1).

        Raises
        ------
        ValueError
            If the receiver is empty or ``b`` holds NaN/inf.
        ShapeError
            If ``b`` does not have n rows or ``dst`` has the wrong shape.
        AliasingError
            If ``dst`` partially overlaps ``b``.

        Warns
        -----
        ConditionWarning
            If the condition number estimate exceeds 1e16.

        Examples
        --------
        >>> c = Cholesky()
        >>> c.factorize([[4.0, 2.0], [2.0, 3.0]])
        >>> x = Dense()
        >>> c.solve_to(x, [[6.0, 4.0], [5.0, 2.0]])
        >>> np.asarray(x)
        array([[1., 1.],
               [1., 0.]])
        """
        op = "Cholesky.solve_to"
        n = self._check_valid(op)
        B = as_matrix(b, op, "b")
        if B.shape[0] != n:
            raise ShapeError(
                f"{op}: b is {dims_str(B.shape)} but the factorized matrix is {n}×{n} "
                f"(b needs {n} rows)"
            )
        _finite_or_raise(op, "b", B)
        X = dst._reuse_as(n, B.shape[1], op)
        alias_guard(op, X, B)
        if X is not B:
            np.copyto(X, B)
        self._solve_in_place(X)
        self._report(op)

    def _solve_in_place(self, X: np.ndarray) -> None:
        # UᵀU X = B: Uᵀ Y = B, then U X = Y.
        _blas.trsm_into(self._u, X, 1.0, True, True, True, False)
        _blas.trsm_into(self._u, X, 1.0, True, True, False, False)

    def solve_vec_to(self, dst: VecDense, b) -> None:
        """Set ``dst`` to x solving A x = b (Gonum's ``SolveVecTo``).

        ``dst`` is empty or of length n and may be ``b`` itself; the rest is as
        :meth:`solve_to`.

        Examples
        --------
        >>> c = Cholesky()
        >>> c.factorize([[4.0, 2.0], [2.0, 3.0]])
        >>> x = VecDense()
        >>> c.solve_vec_to(x, [6.0, 5.0])
        >>> np.asarray(x)
        array([1., 1.])
        """
        op = "Cholesky.solve_vec_to"
        n = self._check_valid(op)
        v = as_vector(b, op, "b")
        if v.shape[0] != n:
            raise ShapeError(
                f"{op}: b has length {v.shape[0]} but the factorized matrix is {n}×{n}"
            )
        _finite_or_raise(op, "b", v)
        x = dst._reuse_as(n, op, v)
        alias_guard(op, x, v)
        if x is not v:
            np.copyto(x, v)
        if n:
            col = x[:, None]
            work = col if x.strides[0] == 8 else np.array(col)
            self._solve_in_place(work)
            if work is not col:
                np.copyto(col, work)
        self._report(op)

    def solve_chol_to(self, dst: Dense, b_chol: Cholesky) -> None:
        """Set ``dst`` to X = A⁻¹B where B is given by its Cholesky factorization
        ``b_chol`` (Gonum's ``SolveCholTo``): X = A⁻¹ U_Bᵀ U_B, computed as two
        triangular solves and a triangular product, never forming B.

        Raises
        ------
        ValueError
            If either factorization is empty.
        ShapeError
            If the sizes differ or ``dst`` has the wrong shape.

        Examples
        --------
        >>> a, b = Cholesky(), Cholesky()
        >>> a.factorize([[2.0, 0.0], [0.0, 4.0]])
        >>> b.factorize([[4.0, 2.0], [2.0, 8.0]])
        >>> x = Dense()
        >>> a.solve_chol_to(x, b)
        >>> np.asarray(x)
        array([[2. , 1. ],
               [0.5, 2. ]])
        """
        op = "Cholesky.solve_chol_to"
        n = self._check_valid(op)
        if not isinstance(b_chol, Cholesky):
            raise TypeError(f"{op}: b_chol must be a Cholesky; got {type(b_chol).__name__}")
        nb = b_chol._check_valid(op, "b_chol")
        if nb != n:
            raise ShapeError(
                f"{op}: the receiver factorizes a {n}×{n} matrix but b_chol a {nb}×{nb} one"
            )
        X = dst._reuse_as(n, n, op)
        if n:
            _cholesky.copy_triangle(b_chol._u, X, True)          # U_Bᵀ
            self._solve_in_place(X)
            _blas.trmm_into(b_chol._u, X, 1.0, False, True, False, False)
        self._report(op)

    def inverse_to(self, dst: SymDense) -> None:
        """Set ``dst`` to A⁻¹ (LAPACK ``dpotri`` on a copy of the factor, then the
        triangle mirrored). Prefer the solves: inversion is rarely needed.

        Raises
        ------
        ValueError
            If the receiver is empty.
        ShapeError
            If ``dst`` is neither empty nor n×n.

        Warns
        -----
        ConditionWarning
            If the condition number estimate exceeds 1e16.

        Examples
        --------
        >>> c = Cholesky()
        >>> c.factorize([[4.0, 2.0], [2.0, 2.0]])
        >>> inv = SymDense()
        >>> c.inverse_to(inv)
        >>> np.asarray(inv)
        array([[ 0.5, -0.5],
               [-0.5,  1. ]])
        """
        op = "Cholesky.inverse_to"
        n = self._check_valid(op)
        S = dst._reuse_as(n, op)
        direct = S.flags.c_contiguous
        F = S.T if direct else np.empty((n, n), order="F")
        np.copyto(F, self._work)
        info = _blas.potri(F, False)
        if info > 0:
            raise SingularError(f"{op}: the factor has a zero diagonal element at {info - 1}")
        if not direct:
            np.copyto(S, F.T)
        _mirror_upper(S)
        self._report(op)

    # -- factors and reconstruction -----------------------------------------------

    def u_to(self, dst: TriDense) -> None:
        """Set ``dst`` to the upper triangular factor U, A = UᵀU (Gonum's ``UTo``).
        ``dst`` must be empty or an n×n upper TriDense.

        Examples
        --------
        >>> c = Cholesky()
        >>> c.factorize([[4.0, 2.0], [2.0, 5.0]])
        >>> u = TriDense()
        >>> c.u_to(u)
        >>> np.asarray(u)
        array([[2., 1.],
               [0., 2.]])
        """
        op = "Cholesky.u_to"
        n = self._check_valid(op)
        _cholesky.copy_triangle(self._u, dst._reuse_as(n, "upper", op), False)

    def l_to(self, dst: TriDense) -> None:
        """Set ``dst`` to the lower triangular factor L = Uᵀ, A = LLᵀ (Gonum's
        ``LTo``). ``dst`` must be empty or an n×n lower TriDense.

        Examples
        --------
        >>> c = Cholesky()
        >>> c.factorize([[4.0, 2.0], [2.0, 5.0]])
        >>> np.asarray(c.l())
        array([[2., 0.],
               [1., 2.]])
        """
        op = "Cholesky.l_to"
        n = self._check_valid(op)
        _cholesky.copy_triangle(self._u, dst._reuse_as(n, "lower", op), True)

    def u(self) -> TriDense:
        """A new upper TriDense holding U (see :meth:`u_to`)."""
        t = TriDense()
        self.u_to(t)
        return t

    def l(self) -> TriDense:  # noqa: E743 - Gonum's name
        """A new lower TriDense holding L (see :meth:`l_to`)."""
        t = TriDense()
        self.l_to(t)
        return t

    def to(self, dst: SymDense) -> None:
        """Set ``dst`` to the factorized matrix A = UᵀU (Gonum's ``ToSym``; BLAS
        ``dsyrk`` on a copy of U, then the triangle mirrored).

        Examples
        --------
        >>> c = Cholesky()
        >>> c.factorize([[4.0, 2.0], [2.0, 5.0]])
        >>> s = SymDense()
        >>> c.to(s)
        >>> np.asarray(s)
        array([[4., 2.],
               [2., 5.]])
        """
        op = "Cholesky.to"
        n = self._check_valid(op)
        S = dst._reuse_as(n, op)
        if n:
            U = np.empty((n, n))
            _cholesky.copy_triangle(self._u, U, False)
            _blas.syrk_into(U, S, 1.0, 0.0, True, True)
            _mirror_upper(S)

    # -- updates ------------------------------------------------------------------

    def sym_rank_one(self, orig: Cholesky, alpha: float, x) -> None:
        """Set the receiver to the factorization of A + alpha·x·xᵀ, where A is the
        matrix factorized by ``orig``, in O(n²) (Gonum's ``SymRankOne``).

        Parameters
        ----------
        orig : Cholesky
            The factorization of A; it may be the receiver itself.
        alpha : float
            Positive for an update, negative for a downdate.
        x : array-like
            A vector of length n.

        Raises
        ------
        ValueError
            If ``orig`` is empty or ``alpha``/``x`` are not finite.
        ShapeError
            If ``x`` is not of length n, or the receiver is neither empty nor n×n.
        NotPositiveDefiniteError
            If a downdate would give a matrix that is not positive definite. The
            receiver is then left exactly as it was.

        Notes
        -----
        An update applies n Givens rotations to [U; √alpha·xᵀ] row by row (LINPACK
        ``dchud``). A downdate solves Uᵀp = √(-alpha)·x; A - |alpha| x xᵀ is
        positive definite exactly when ‖p‖ < 1, which is checked, together with the
        new diagonal, before anything is written; then n rotations are applied
        backwards (LINPACK ``dchdd``). A downdate can be ill-conditioned: its error
        grows with 1/(1 - ‖p‖²). The condition number is re-estimated when next
        needed.

        References
        ----------
        J. J. Dongarra, J. R. Bunch, C. B. Moler, G. W. Stewart, LINPACK Users'
        Guide, SIAM, 1979, ch. 10. P. E. Gill, G. H. Golub, W. Murray, M. A.
        Saunders, "Methods for modifying matrix factorizations", Math. Comp. 28
        (1974), 505–535.

        Examples
        --------
        >>> c = Cholesky()
        >>> c.factorize([[4.0, 0.0], [0.0, 4.0]])
        >>> c.sym_rank_one(c, 5.0, [1.0, 0.0])
        >>> np.asarray(c.u())
        array([[3., 0.],
               [0., 2.]])
        >>> c.sym_rank_one(c, -9.0, [1.0, 0.0])
        Traceback (most recent call last):
        ...
        numkit.errors.NotPositiveDefiniteError: Cholesky.sym_rank_one: A + alpha·x·xᵀ is not positive definite (‖U⁻ᵀx‖·√|alpha| = 1 >= 1); the factorization is unchanged
        """  # noqa: E501
        op = "Cholesky.sym_rank_one"
        if not isinstance(orig, Cholesky):
            raise TypeError(f"{op}: orig must be a Cholesky; got {type(orig).__name__}")
        n = orig._check_valid(op, "orig")
        v = as_vector(x, op, "x")
        if v.shape[0] != n:
            raise ShapeError(
                f"{op}: x has length {v.shape[0]} but orig factorizes a {n}×{n} matrix"
            )
        alpha = float(alpha)
        if not math.isfinite(alpha):
            raise ValueError(f"{op}: alpha must be finite; got {alpha}")
        _finite_or_raise(op, "x", v)
        self._check_receiver(n, op)
        if alpha == 0.0 or n == 0:
            self._take(orig)
            return
        scratch = self._scratch(n)
        work = scratch[0]
        np.multiply(v, math.sqrt(abs(alpha)), out=work)
        if alpha > 0.0:
            self._take(orig)
            _cholesky.rank_one_update(self._u, work)
        else:
            cs, sn = scratch[1], scratch[2]
            status = _cholesky.rank_one_downdate_prepare(orig._u, work, cs, sn)
            if status:
                rho = float(np.sqrt(np.dot(work, work))) if status == 1 else None
                why = (f"‖U⁻ᵀx‖·√|alpha| = {rho:.6g} >= 1" if status == 1
                       else "a diagonal element of the new factor would be zero")
                raise NotPositiveDefiniteError(
                    f"{op}: A + alpha·x·xᵀ is not positive definite ({why}); the "
                    f"factorization is unchanged"
                )
            self._take(orig)
            _cholesky.rank_one_downdate_apply(self._u, work, cs, sn)
        self._cond = None
        self._anorm = None

    def scale(self, f: float, orig: Cholesky) -> None:
        """Set the receiver to the factorization of f·A (U scaled by √f), where A is
        factorized by ``orig`` (Gonum's ``Scale``). The condition number is that of A.

        Raises
        ------
        ValueError
            If ``f`` is not positive and finite, or ``orig`` is empty.
        ShapeError
            If the receiver is neither empty nor of orig's size.

        Examples
        --------
        >>> c, d = Cholesky(), Cholesky()
        >>> c.factorize([[4.0, 2.0], [2.0, 5.0]])
        >>> d.scale(4.0, c)
        >>> round(d.det() / c.det(), 9)
        16.0
        """
        op = "Cholesky.scale"
        if not isinstance(orig, Cholesky):
            raise TypeError(f"{op}: orig must be a Cholesky; got {type(orig).__name__}")
        n = orig._check_valid(op, "orig")
        f = float(f)
        if not (f > 0.0 and math.isfinite(f)):
            raise ValueError(f"{op}: f must be positive and finite; got {f}")
        self._check_receiver(n, op)
        cond, anorm = orig._cond, orig._anorm
        self._take(orig)
        np.multiply(self._work, math.sqrt(f), out=self._work)
        self._cond = cond
        self._anorm = None if anorm is None else anorm * f

    def extend_vec_sym(self, a: Cholesky, v) -> None:
        """Set the receiver to the factorization of the (n+1)×(n+1) matrix
        [[A, w], [wᵀ, k]], w = v[:n], k = v[n], where A is factorized by ``a``
        (Gonum's ``ExtendVecSym``), in O(n²): the new column of U is c = U⁻ᵀw and its
        last diagonal element √(k - cᵀc).

        Raises
        ------
        ValueError
            If ``a`` is empty or ``v`` holds NaN/inf.
        ShapeError
            If ``v`` is not of length n + 1.
        NotPositiveDefiniteError
            If k <= wᵀA⁻¹w, so the extended matrix is not positive definite (Gonum
            returns false); the receiver is then unchanged.

        Examples
        --------
        >>> c = Cholesky()
        >>> c.factorize([[4.0]])
        >>> c.extend_vec_sym(c, [2.0, 5.0])
        >>> np.asarray(c.u())
        array([[2., 1.],
               [0., 2.]])
        """
        op = "Cholesky.extend_vec_sym"
        if not isinstance(a, Cholesky):
            raise TypeError(f"{op}: a must be a Cholesky; got {type(a).__name__}")
        n = a._check_valid(op, "a")
        vec = as_vector(v, op, "v")
        if vec.shape[0] != n + 1:
            raise ShapeError(
                f"{op}: v has length {vec.shape[0]} but a factorizes a {n}×{n} matrix "
                f"(v needs length {n + 1})"
            )
        _finite_or_raise(op, "v", vec)
        t = np.array(vec[:n])
        if n:
            _cholesky.forward_solve_ut(a._u, t)
        k = float(vec[n])
        tt = float(np.dot(t, t))
        if not k - tt > 0.0:
            raise NotPositiveDefiniteError(
                f"{op}: the extended matrix is not positive definite: v[{n}] = {k:.6g} "
                f"does not exceed wᵀA⁻¹w = {tt:.6g}; the factorization is unchanged"
            )
        w = np.empty((n + 1, n + 1), order="F")
        u = w.T
        u[:n, :n] = a._u
        u[:n, n] = t
        u[n, n] = math.sqrt(k - tt)
        self._work, self._u, self._colsum = w, u, np.empty(n + 1)
        self._n = n + 1
        self._cond = None
        self._anorm = None
