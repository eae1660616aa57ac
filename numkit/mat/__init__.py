"""numkit.mat: dense float64 matrices in the style of Gonum's ``mat`` package.

Types
-----
:class:`Dense` (general), :class:`VecDense` (a column vector), :class:`SymDense`
(symmetric), :class:`TriDense` (upper or lower triangular) and :class:`DiagDense`
(diagonal). All hold float64, as Gonum does; anything ``numpy.asarray`` accepts can
be an operand.

Storage
-------
``Dense(r, c, data)`` stores row-major. When ``data`` is already a C-contiguous
float64 ndarray of r·c elements it *becomes* the storage, without a copy (Gonum's
``NewDense``); anything else is copied. ``from_array`` always copies. Every type
implements ``__array__``: ``numpy.asarray(m)`` is a view of the storage (DiagDense,
which stores only its diagonal, returns a new array).

Methods and receivers
---------------------
Operations are methods of the matrix that receives the result, as in Gonum:
``c.mul(a, b)`` sets ``c = a @ b`` and returns ``None``. An empty receiver
(``Dense()``) takes the result's shape; a receiver of another shape raises
:class:`~numkit.errors.ShapeError`, whose message names both shapes. A receiver
keeps its storage, so a loop that reuses one allocates nothing. Operators
(``+ - * / @`` and unary ``-``) allocate and return new matrices for convenience.

Views
-----
``slice``, ``row_view``, ``col_view`` and ``T`` return views that share memory
with the matrix they come from; a view can be an operand or a receiver. ``slice``
keeps the capacity beyond the view, so ``grow`` can extend it without a copy.

Aliasing
--------
Elementwise operations may write into an operand (``m.add(m, b)``). A product
whose receiver *is* an operand goes through a workspace, as Gonum's does. Any other
overlap between the receiver and an operand — a shifted slice, the transpose of
the same storage — raises :class:`~numkit.errors.AliasingError` instead of
returning a silently wrong result.

Kernels
-------
Products call BLAS (``dgemm``, ``dgemv``, ``dger``, ``dsyrk``, ``dtrmm``,
``dtrsm``) through ``scipy.linalg.cython_blas`` in row-major terms, transposing
the problem rather than copying; products of at most 512 multiply-adds use a plain
loop that costs less than the BLAS call. Elementwise arithmetic and reductions are
Cython loops, parallel above a size threshold, with reductions whose bits do not
depend on the thread count.

Decompositions
--------------
:class:`LU`, :class:`Cholesky` (with O(n²) rank-one update and downdate),
:class:`QR`, :class:`LQ`, :class:`SVD`, :class:`Eigen` and :class:`EigenSym` are
reusable objects over LAPACK: ``factorize`` copies its operand once into a
Fortran-ordered workspace that later calls of the same size reuse, and raises on
failure (where Go returns ``ok == false``). ``*_to(dst)`` methods write into a
receiver; the plain forms (``lu.l()``, ``svd.u()``) return new objects.
``Dense.solve`` follows Gonum's rules: LU for square, least squares by QR for tall,
minimum norm by LQ for wide systems. An exactly singular matrix raises
:class:`~numkit.errors.SingularError`; an estimated condition number above 1e16
(Gonum's ``ConditionTolerance``) returns the result with a
:class:`~numkit.errors.ConditionWarning` — :func:`numkit.errstate` turns that into an
error or silence.

Norms
-----
``norm(a, 2)`` of a matrix is the spectral norm, as in numpy (Gonum's
``Norm(a, 2)`` is the Frobenius norm, spelled ``"fro"`` here).
"""

from numkit.mat._cholesky import Cholesky
from numkit.mat._dense import Dense
from numkit.mat._diagonal import DiagDense
from numkit.mat._eigen import Eigen, EigenSym
from numkit.mat._format import formatted
from numkit.mat._functions import (
    col,
    dot,
    equal,
    equal_approx,
    inner,
    max,
    min,
    norm,
    row,
    sum,
    trace,
)
from numkit.mat._lu import LU
from numkit.mat._qr import LQ, QR
from numkit.mat._solve import cond, det, log_det
from numkit.mat._svd import SVD
from numkit.mat._symmetric import SymDense
from numkit.mat._triangular import TriDense
from numkit.mat._vector import VecDense

__all__ = [
    "LQ",
    "LU",
    "QR",
    "SVD",
    "Cholesky",
    "Dense",
    "DiagDense",
    "Eigen",
    "EigenSym",
    "SymDense",
    "TriDense",
    "VecDense",
    "col",
    "cond",
    "det",
    "dot",
    "equal",
    "equal_approx",
    "formatted",
    "inner",
    "log_det",
    "max",
    "min",
    "norm",
    "row",
    "sum",
    "trace",
]
