"""Eigen and EigenSym: eigendecompositions of general (LAPACK dgeev) and symmetric
(LAPACK dsyevd) matrices, as Gonum's ``mat.Eigen`` and ``mat.EigenSym``."""

from __future__ import annotations

import numpy as np

from numkit._kernels import _blas
from numkit.errors import ConvergenceError
from numkit.mat._base import as_matrix, check_square
from numkit.mat._dense import Dense
from numkit.mat._qr import _array_receiver, _dense_receiver, _require_finite, _workspace
from numkit.mat._symmetric import _symmetric_operand

__all__ = ["Eigen", "EigenSym"]


def _complex_vectors(v: np.ndarray, wi: np.ndarray, dst: np.ndarray) -> None:
    """Write the complex eigenvectors that LAPACK stores in real form into ``dst``.

    For a real eigenvalue, column j of ``v`` is its vector. For a complex pair
    (wi[j] > 0, wi[j+1] = −wi[j]) the vectors are v[:, j] ± i·v[:, j+1] (dgeev's
    documented layout).
    """
    np.copyto(dst.real, v)
    dst.imag[...] = 0.0
    first = np.flatnonzero(wi > 0)
    if first.size:
        re = v[:, first]
        im = v[:, first + 1]
        dst[:, first] = re + 1j * im
        dst[:, first + 1] = re - 1j * im


class Eigen:
    """Eigenvalues and eigenvectors of a general square matrix (Gonum's
    ``mat.Eigen``).

    Eigenvalues are complex in general and come in conjugate pairs, the one with
    positive imaginary part first, in LAPACK's order (not sorted). Eigenvectors are
    complex n×n arrays whose columns have unit 2-norm and largest component real, as
    LAPACK normalises them. numkit has no complex matrix type, so vectors are
    returned as (or written into) ``complex128`` ndarrays.

    References
    ----------
    LAPACK ``dgeev`` (Hessenberg reduction and the shifted QR algorithm). Golub and
    Van Loan, *Matrix Computations*, 4th ed., §7.5.

    Examples
    --------
    >>> import numpy as np
    >>> e = Eigen()
    >>> e.factorize([[0.0, -1.0], [1.0, 0.0]])    # a rotation by 90°
    >>> e.values()
    array([0.+1.j, 0.-1.j])
    >>> v = e.vectors()
    >>> bool(np.allclose([[0, -1], [1, 0]] @ v, v * e.values()))
    True
    """

    __slots__ = ("_work", "_wr", "_wi", "_vl", "_vr", "_left", "_right", "_ok")

    def __init__(self) -> None:
        self._work: np.ndarray | None = None
        self._wr: np.ndarray | None = None
        self._wi: np.ndarray | None = None
        self._vl: np.ndarray | None = None
        self._vr: np.ndarray | None = None
        self._left = self._right = False
        self._ok = False

    def factorize(self, a, left: bool = False, right: bool = True) -> None:
        """Compute the eigenvalues of ``a`` and, as asked, its left and right
        eigenvectors.

        Parameters
        ----------
        a : array-like or numkit matrix
            A square matrix; it is copied, never modified.
        left, right : bool, optional
            Compute the left eigenvectors (uᴴ A = λ uᴴ) / the right ones
            (A v = λ v).

        Raises
        ------
        ShapeError
            If ``a`` is not square.
        ValueError
            If ``a`` contains NaN or infinity.
        ConvergenceError
            If the QR algorithm did not converge (a ``LinAlgError``).
        """
        op = "Eigen.factorize"
        arr = as_matrix(a, op, "a")
        check_square(op, "a", arr, "eigenvalues need a square matrix")
        _require_finite(op, "a", arr)
        n = arr.shape[0]
        self._ok = False
        work = self._work = _workspace(self._work, (n, n))
        np.copyto(work, arr)
        wr = self._wr = _workspace(self._wr, (n,))
        wi = self._wi = _workspace(self._wi, (n,))
        vl = self._vl = _workspace(self._vl, (n, n)) if left else None
        vr = self._vr = _workspace(self._vr, (n, n)) if right else None
        info = _blas.geev(work, wr, wi, vl, vr)
        if info > 0:
            raise ConvergenceError(
                f"{op}: the QR algorithm (LAPACK dgeev) did not converge; only "
                f"eigenvalues {info}..{n - 1} of the {n}×{n} matrix were computed"
            )
        self._left, self._right = bool(left), bool(right)
        self._ok = True

    def _state(self, op: str) -> None:
        if not self._ok:
            raise ValueError(f"{op}: no successful factorization; call Eigen.factorize "
                             f"first")

    def kind(self) -> tuple[bool, bool]:
        """``(left, right)``: which eigenvectors the last factorization computed."""
        self._state("Eigen.kind")
        return self._left, self._right

    def values(self, dst: np.ndarray | None = None) -> np.ndarray:
        """The eigenvalues as a complex128 array, in LAPACK's order (Gonum's
        ``Values``).

        Parameters
        ----------
        dst : ndarray, optional
            A complex128 array of length n to write into.
        """
        self._state("Eigen.values")
        n = self._wr.shape[0]
        out = (np.empty(n, dtype=np.complex128) if dst is None
               else _array_receiver(dst, (n,), np.complex128, "Eigen.values"))
        np.copyto(out.real, self._wr)
        np.copyto(out.imag, self._wi)
        return out

    def vectors_to(self, dst: np.ndarray) -> None:
        """Write the right eigenvectors, as columns, into the complex128 n×n array
        ``dst`` (Gonum's ``VectorsTo``).

        Raises
        ------
        ValueError
            If the right eigenvectors were not computed (``right=False``).
        ShapeError
            If ``dst`` is not n×n.
        TypeError
            If ``dst`` is not a complex128 ndarray.
        """
        self._vectors_to("Eigen.vectors_to", dst, self._right, "right", self._vr)

    def vectors(self) -> np.ndarray:
        """The right eigenvectors as a new complex128 n×n array."""
        return self._vectors_to("Eigen.vectors", None, self._right, "right", self._vr)

    def left_vectors_to(self, dst: np.ndarray) -> None:
        """Write the left eigenvectors u_j (uᴴ_j A = λ_j uᴴ_j), as columns, into the
        complex128 n×n array ``dst`` (Gonum's ``LeftVectorsTo``)."""
        self._vectors_to("Eigen.left_vectors_to", dst, self._left, "left", self._vl)

    def left_vectors(self) -> np.ndarray:
        """The left eigenvectors as a new complex128 n×n array."""
        return self._vectors_to("Eigen.left_vectors", None, self._left, "left", self._vl)

    def _vectors_to(self, op: str, dst, computed: bool, flag: str,
                    v: np.ndarray | None) -> np.ndarray | None:
        self._state(op)
        if not computed:
            raise ValueError(
                f"{op}: the {flag} eigenvectors were not computed; factorize with "
                f"{flag}=True"
            )
        n = v.shape[0]
        if dst is None:
            out = np.empty((n, n), dtype=np.complex128)
            _complex_vectors(v, self._wi, out)
            return out
        _complex_vectors(v, self._wi, _array_receiver(dst, (n, n), np.complex128, op))
        return None


class EigenSym:
    """Eigenvalues and eigenvectors of a real symmetric matrix (Gonum's
    ``mat.EigenSym``): A = V Λ Vᵀ with V orthogonal and Λ real.

    Eigenvalues are in ascending order; column j of V is the eigenvector of the j-th
    eigenvalue.

    Notes
    -----
    The input may be a :class:`~numkit.mat.SymDense` or any square array-like that is
    symmetric within ``sqrt(eps)`` of its largest element; its upper triangle is used.
    A row-major copy of a symmetric matrix is the same matrix to LAPACK (column-major),
    so the input is copied contiguously into a workspace reused when the size repeats.

    References
    ----------
    LAPACK ``dsyevd`` (tridiagonal reduction and Cuppen's divide and conquer, the
    routine ``numpy.linalg.eigh`` uses; ``dsyevr`` measured 5–15% slower here).
    J. J. M. Cuppen, "A divide and conquer method for the symmetric tridiagonal
    eigenproblem", Numer. Math. 36 (1981).

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.mat import SymDense
    >>> e = EigenSym()
    >>> e.factorize(SymDense(2, [2, 1,
    ...                          1, 2]))
    >>> e.values()
    array([1., 3.])
    >>> v = np.asarray(e.vectors())
    >>> bool(np.allclose(abs(v), np.sqrt(0.5)))
    True
    """

    __slots__ = ("_work", "_w", "_z", "_vectors", "_ok")

    def __init__(self) -> None:
        self._work: np.ndarray | None = None
        self._w: np.ndarray | None = None
        self._z: np.ndarray | None = None
        self._vectors = False
        self._ok = False

    def factorize(self, a, vectors: bool = True) -> None:
        """Compute the eigenvalues and, with ``vectors=True``, the eigenvectors of the
        symmetric matrix ``a``.

        Raises
        ------
        ShapeError
            If ``a`` is not square.
        ValueError
            If ``a`` is not symmetric within ``sqrt(eps)·max|a|``, or contains NaN or
            infinity.
        ConvergenceError
            If LAPACK reports an internal failure (a ``LinAlgError``).
        """
        op = "EigenSym.factorize"
        arr = _symmetric_operand(a, op, "a")
        _require_finite(op, "a", arr)
        n = arr.shape[0]
        self._ok = False
        work = self._work = _workspace(self._work, (n, n), order="C")
        np.copyto(work, arr)
        w = self._w = _workspace(self._w, (n,))
        # work.T is column-major; its lower triangle is the row-major upper one. With
        # vectors, dsyevd overwrites it with the eigenvectors as its columns, so the
        # column-major view work.T *is* V: no second n×n array.
        info = _blas.syevd(work.T, w, vectors=bool(vectors), upper=False)
        if info > 0:
            raise ConvergenceError(
                f"{op}: LAPACK dsyevd did not converge (info={info}) on the "
                f"{n}×{n} matrix"
            )
        self._z = work.T if vectors else None
        self._vectors = bool(vectors)
        self._ok = True

    def _state(self, op: str) -> None:
        if not self._ok:
            raise ValueError(f"{op}: no successful factorization; call "
                             f"EigenSym.factorize first")

    def values(self, dst: np.ndarray | None = None) -> np.ndarray:
        """The eigenvalues in ascending order (Gonum's ``Values``); written into the
        float64 array ``dst`` of length n when given."""
        self._state("EigenSym.values")
        if dst is None:
            return self._w.copy()
        np.copyto(_array_receiver(dst, self._w.shape, np.float64, "EigenSym.values"),
                  self._w)
        return dst

    def vectors_to(self, dst: Dense) -> None:
        """Write the eigenvectors, as columns, into the Dense ``dst`` (empty or n×n;
        Gonum's ``VectorsTo``).

        Raises
        ------
        ValueError
            If the factorization did not compute vectors (``vectors=False``).
        ShapeError
            If ``dst`` is neither empty nor n×n.
        """
        op = "EigenSym.vectors_to"
        z = self._z_checked(op)
        np.copyto(_dense_receiver(dst, z.shape[0], z.shape[1], op), z)

    def vectors(self) -> Dense:
        """The eigenvectors as a new n×n Dense (see :meth:`vectors_to`)."""
        return Dense._wrap(np.ascontiguousarray(self._z_checked("EigenSym.vectors")))

    def _z_checked(self, op: str) -> np.ndarray:
        self._state(op)
        if not self._vectors:
            raise ValueError(
                f"{op}: the eigenvectors were not computed; factorize with vectors=True"
            )
        return self._z
