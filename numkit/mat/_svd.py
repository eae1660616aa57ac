"""SVD: the singular value decomposition A = U Σ Vᵀ (Gonum's ``mat.SVD``) on LAPACK's
divide-and-conquer dgesdd."""

from __future__ import annotations

import math

import numpy as np

from numkit._kernels import _blas
from numkit.errors import ConvergenceError
from numkit.mat._base import as_matrix, as_vector
from numkit.mat._dense import Dense
from numkit.mat._qr import (
    _array_receiver,
    _dense_receiver,
    _not_factorized,
    _require_finite,
    _rhs,
    _vec_receiver,
    _workspace,
)
from numkit.mat._vector import VecDense

__all__ = ["SVD"]

_KINDS = ("none", "thin", "full")
_EPS = float(np.finfo(np.float64).eps)


class SVD:
    """The singular value decomposition A = U Σ Vᵀ of an m×n matrix (Gonum's
    ``mat.SVD``).

    ``factorize(a, kind)`` computes the singular values (descending) and, for
    ``kind="thin"``, U (m×k) and V (n×k) with k = min(m, n); for ``kind="full"``, U
    (m×m) and V (n×n); for ``kind="none"``, no vectors.

    Notes
    -----
    numkit stores row-major, LAPACK column-major: a row-major copy of A is Aᵀ to
    LAPACK, so ``dgesdd`` factorizes Aᵀ = V Σ Uᵀ and writes V and Uᵀ in column-major
    order — the transpose of Uᵀ is U in row-major order, ready to copy out. The input
    is copied once, contiguously, into a workspace reused when the shape repeats.

    References
    ----------
    LAPACK ``dgesdd``. J. Demmel, *Applied Numerical Linear Algebra*, SIAM 1997,
    §3.5 (rank-deficient least squares) and §5.4. M. Gu and S. C. Eisenstat, "A
    divide-and-conquer algorithm for the bidiagonal SVD", SIAM J. Matrix Anal. Appl.
    16 (1995).

    Examples
    --------
    >>> import numpy as np
    >>> svd = SVD()
    >>> svd.factorize([[3.0, 0.0], [0.0, -2.0], [0.0, 0.0]])
    >>> svd.values()
    array([3., 2.])
    >>> svd.rank(), svd.cond()
    (2, 1.5)
    >>> u, v = svd.u(), svd.v()
    >>> u.dims(), v.dims()
    ((3, 2), (2, 2))
    >>> bool(np.allclose(np.asarray(u) * svd.values() @ np.asarray(v).T,
    ...                  [[3, 0], [0, -2], [0, 0]]))
    True
    """

    __slots__ = ("_kind", "_work", "_s", "_v_f", "_ut_f", "_ok")

    def __init__(self) -> None:
        self._kind = "none"
        self._work: np.ndarray | None = None
        self._s: np.ndarray | None = None
        self._v_f: np.ndarray | None = None   # V, column-major: LAPACK's "U" of Aᵀ
        self._ut_f: np.ndarray | None = None  # Uᵀ, column-major: LAPACK's "VT" of Aᵀ
        self._ok = False

    def factorize(self, a, kind: str = "thin") -> None:
        """Compute the SVD of ``a``.

        Parameters
        ----------
        a : array-like or numkit matrix
            The m×n matrix; it is copied, never modified.
        kind : {"thin", "full", "none"}, optional
            Which singular vectors to compute (Gonum's ``SVDThin``, ``SVDFull``,
            ``SVDNone``).

        Raises
        ------
        ValueError
            If ``kind`` is unknown or ``a`` contains NaN or infinity.
        ConvergenceError
            If LAPACK's iteration did not converge (a ``LinAlgError``).
        """
        op = "SVD.factorize"
        if kind not in _KINDS:
            raise ValueError(
                f"{op}: kind must be one of {', '.join(map(repr, _KINDS))}; got {kind!r}"
            )
        arr = as_matrix(a, op, "a")
        m, n = arr.shape
        _require_finite(op, "a", arr)
        self._ok = False
        k = min(m, n)
        work = self._work = _workspace(self._work, (m, n), order="C")
        np.copyto(work, arr)
        s = self._s = _workspace(self._s, (k,))
        if kind == "none":
            info = _blas.gesdd(work.T, s, None, None, "N")
        else:
            rows_v, cols_ut = (k, k) if kind == "thin" else (n, m)
            v_f = self._v_f = _workspace(self._v_f, (n, rows_v))
            ut_f = self._ut_f = _workspace(self._ut_f, (cols_ut, m))
            info = _blas.gesdd(work.T, s, v_f, ut_f, "S" if kind == "thin" else "A")
            if k == 0:
                # LAPACK returns at once on an empty matrix; the full factors of a
                # 0×n or m×0 matrix are identities.
                v_f[...] = np.eye(*v_f.shape)
                ut_f[...] = np.eye(*ut_f.shape)
        if info > 0:
            raise ConvergenceError(
                f"{op}: LAPACK dgesdd did not converge ({info} superdiagonals of the "
                f"intermediate bidiagonal form did not reach zero); the {m}×{n} input "
                f"may be badly scaled"
            )
        self._kind = kind
        self._ok = True

    def _state(self, op: str) -> np.ndarray:
        if not self._ok:
            raise _not_factorized(op, "SVD")
        return self._s

    def _vectors(self, op: str) -> None:
        self._state(op)
        if self._kind == "none":
            raise ValueError(
                f"{op}: the singular vectors were not computed; factorize with "
                f"kind='thin' or kind='full'"
            )

    def kind(self) -> str:
        """The kind of the last factorization: "none", "thin" or "full"."""
        self._state("SVD.kind")
        return self._kind

    def values(self, dst: np.ndarray | None = None) -> np.ndarray:
        """The singular values, in descending order (Gonum's ``Values``).

        Parameters
        ----------
        dst : ndarray, optional
            A float64 array of length min(m, n) to write into; a new array otherwise.

        Returns
        -------
        ndarray
            ``dst`` or the new array.
        """
        s = self._state("SVD.values")
        if dst is None:
            return s.copy()
        np.copyto(_array_receiver(dst, s.shape, np.float64, "SVD.values"), s)
        return dst

    def rank(self, rcond: float | None = None) -> int:
        """The number of singular values above ``rcond`` times the largest (Gonum's
        ``Rank``).

        Parameters
        ----------
        rcond : float, optional
            Relative threshold, ≥ 0. Default: ``max(m, n) · eps``, numpy's
            ``matrix_rank`` choice.

        Raises
        ------
        ValueError
            If ``rcond`` is negative or NaN.
        """
        s = self._state("SVD.rank")
        rcond = self._rcond("SVD.rank", rcond)
        if s.shape[0] == 0:
            return 0
        return int(np.count_nonzero(s > rcond * s[0]))

    def _rcond(self, op: str, rcond: float | None) -> float:
        if rcond is None:
            return max(self._work.shape) * _EPS
        rcond = float(rcond)
        if not rcond >= 0:
            raise ValueError(f"{op}: rcond must be a non-negative number; got {rcond}")
        return rcond

    def cond(self) -> float:
        """The 2-norm condition number σ_max / σ_min (``inf`` if σ_min is 0; 1 for an
        empty matrix)."""
        s = self._state("SVD.cond")
        if s.shape[0] == 0:
            return 1.0
        return float(s[0] / s[-1]) if s[-1] > 0 else math.inf

    def u_to(self, dst: Dense) -> None:
        """Write U (m×k for "thin", m×m for "full") into ``dst``, empty or of that
        shape (Gonum's ``UTo``).

        Raises
        ------
        ValueError
            If the factorization computed no vectors (``kind="none"``).
        ShapeError
            If ``dst`` is neither empty nor of U's shape.
        """
        op = "SVD.u_to"
        self._vectors(op)
        u = self._ut_f.T
        np.copyto(_dense_receiver(dst, u.shape[0], u.shape[1], op), u)

    def u(self) -> Dense:
        """U as a new Dense (see :meth:`u_to`)."""
        self._vectors("SVD.u")
        return Dense._wrap(self._ut_f.T.copy())

    def v_to(self, dst: Dense) -> None:
        """Write V — not Vᵀ, as Gonum's ``VTo`` — (n×k for "thin", n×n for "full")
        into ``dst``, empty or of that shape."""
        op = "SVD.v_to"
        self._vectors(op)
        v = self._v_f
        np.copyto(_dense_receiver(dst, v.shape[0], v.shape[1], op), v)

    def v(self) -> Dense:
        """V as a new Dense (see :meth:`v_to`)."""
        self._vectors("SVD.v")
        return Dense._wrap(np.ascontiguousarray(self._v_f))

    def solve_to(self, dst: Dense, b, rcond: float | None = None,
                 rank: int | None = None) -> None:
        """The minimum-norm least-squares solution X = A⁺ B (Gonum's ``SVD.SolveTo``).

        Minimises ‖X‖ among the minimisers of ‖A X − B‖₂, with the pseudo-inverse
        truncated to the singular values above ``rcond · σ_max`` (or to the ``rank``
        largest, Gonum's argument).

        Parameters
        ----------
        dst : Dense
            Receiver, empty or n×k. It may share memory with ``b``.
        b : array-like or numkit matrix
            Right-hand sides, m×k.
        rcond : float, optional
            Relative cut-off (default ``max(m, n) · eps``), ignored when ``rank`` is
            given.
        rank : int, optional
            Effective rank to use, 0 ≤ rank ≤ min(m, n).

        Raises
        ------
        ValueError
            If no vectors were computed, ``rcond`` or ``rank`` is out of range, or
            ``b`` is not finite.
        ShapeError
            If ``b`` or ``dst`` has the wrong shape.

        Examples
        --------
        >>> import numpy as np
        >>> from numkit.mat import Dense
        >>> svd = SVD()
        >>> svd.factorize([[1.0, 1.0], [1.0, 1.0]])   # rank 1
        >>> x = Dense()
        >>> svd.solve_to(x, [[2.0], [2.0]])
        >>> np.round(np.asarray(x), 12)
        array([[1.],
               [1.]])
        """
        op = "SVD.solve_to"
        self._vectors(op)
        x = self._solve(op, as_matrix(b, op, "b"), rcond, rank)
        np.copyto(_dense_receiver(dst, x.shape[0], x.shape[1], op), x)

    def solve_vec_to(self, dst: VecDense, b, rcond: float | None = None,
                     rank: int | None = None) -> None:
        """:meth:`solve_to` for one right-hand side; ``dst`` is a VecDense."""
        op = "SVD.solve_vec_to"
        self._vectors(op)
        x = self._solve(op, as_vector(b, op, "b")[:, None], rcond, rank)
        np.copyto(_vec_receiver(dst, x.shape[0], op), x[:, 0])

    def _solve(self, op: str, B: np.ndarray, rcond: float | None,
               rank: int | None) -> np.ndarray:
        m, n = self._work.shape
        B = _rhs(B, op, m, (m, n), "A X = B")
        s = self._s
        if rank is None:
            r = self.rank(self._rcond(op, rcond))
        else:
            r = int(rank)
            if not 0 <= r <= s.shape[0]:
                raise ValueError(f"{op}: rank must be in [0, {s.shape[0]}]; got {rank}")
        # X = V_r Σ_r⁻¹ U_rᵀ B, two products on the leading r singular triplets.
        c = self._ut_f[:r] @ B
        c /= s[:r, None]
        return self._v_f[:, :r] @ c
