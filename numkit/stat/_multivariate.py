"""Principal components (Gonum's ``PC``) and canonical correlations (Gonum's ``CC``).

Both centre the (weighted) data column by column and factorise it by the thin SVD
of numkit.mat (LAPACK ``dgesdd``): the data are never squared into a covariance
matrix, so small components keep their digits.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from numkit.mat._dense import Dense
from numkit.mat._svd import SVD  # TODO(lead): numkit.mat.SVD once exported
from numkit.stat._validate import as_weights

__all__ = ["CC", "PC"]


def _centred_svd(a, weights, op: str, name: str) -> tuple[SVD, float, int, int]:
    """SVD of the (weighted-)mean-centred rows ``sqrt(w)·(a - mean)``; the total weight."""
    arr = np.array(np.asarray(a, dtype=np.float64), order="C", copy=True)
    if arr.ndim != 2:
        raise ValueError(f"The '{name}' parameter of stat.{op} must be 2-D (rows are "
                         f"observations); got shape {arr.shape}")
    n, d = arr.shape
    w = as_weights(weights, n, op)
    if not np.isfinite(arr).all():
        raise ValueError(f"stat.{op}: {name} contains NaN or infinity")
    if w is None:
        total = float(n)
        mean = arr.mean(axis=0)
        arr -= mean
        arr -= arr.mean(axis=0)  # a second pass removes the first mean's rounding
    else:
        w = np.asarray(w, dtype=np.float64)
        total = float(w.sum())
        if total <= 0:
            raise ValueError(f"stat.{op}: the weights sum to {total}")
        arr -= (w @ arr) / total
        arr -= (w @ arr) / total
        arr *= np.sqrt(w)[:, None]
    if total <= 1:
        raise ValueError(f"stat.{op}: needs more than one observation (total weight "
                         f"{total:g}); {name} has shape {arr.shape}")
    svd = SVD()
    svd.factorize(arr, "thin")
    return svd, total, n, d


class PC:
    """Principal components analysis (Gonum's ``stat.PC``).

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.stat import PC
    >>> x = np.array([[1.0, 2.0], [2.0, 4.1], [3.0, 5.9], [4.0, 8.2]])
    >>> pc = PC()
    >>> pc.principal_components(x)
    >>> [round(float(v), 4) for v in pc.vars()]
    [8.614, 0.0027]
    >>> [round(float(v), 4) for v in pc.explained_variance_ratio()]
    [0.9997, 0.0003]
    """

    def __init__(self) -> None:
        self._svd: SVD | None = None
        self._total = math.nan
        self._dims = (0, 0)

    def principal_components(self, a: ArrayLike, weights: ArrayLike | None = None) -> None:
        """Analyse the n×d data ``a`` (rows are observations), weighting rows by
        ``weights``. Variables are centred, not scaled.

        Raises
        ------
        ValueError
            ``a`` not 2-D, NaN or infinite values, weights of the wrong length or
            negative, or fewer than two observations.

        Notes
        -----
        The thin SVD ``sqrt(W)(A - 1mᵀ) = U Σ Vᵀ`` (LAPACK ``dgesdd``) gives the
        directions (columns of V) and the variances ``σ²/(Σw - 1)``.

        References
        ----------
        Jolliffe, I. T. (2002). *Principal Component Analysis*, 2nd ed., Springer.
        """
        self._svd = None
        svd, total, n, d = _centred_svd(a, weights, "PC.principal_components", "a")
        self._svd, self._total, self._dims = svd, total, (n, d)

    def _factor(self, op: str) -> SVD:
        if self._svd is None:
            raise ValueError(f"stat.{op}: call principal_components first")
        return self._svd

    def vectors_to(self, dst: Dense) -> None:
        """Write the d×min(n, d) direction vectors (columns, by decreasing variance)
        into ``dst`` (empty or of that shape)."""
        self._factor("PC.vectors_to").v_to(dst)

    def vectors(self) -> Dense:
        """The direction vectors as a new Dense (see :meth:`vectors_to`)."""
        return self._factor("PC.vectors").v()

    def vars_to(self, dst: np.ndarray) -> None:
        """Write the component variances (descending) into the float64 array ``dst``."""
        s = self._factor("PC.vars_to").values()
        if not isinstance(dst, np.ndarray) or dst.shape != s.shape:
            raise ValueError(f"stat.PC.vars_to: dst must be an ndarray of shape {s.shape}")
        np.multiply(s, s, out=dst)
        dst /= self._total - 1.0

    def vars(self) -> np.ndarray:
        """The component variances (descending) as a new array (see :meth:`vars_to`)."""
        s = self._factor("PC.vars").values()
        return s * s / (self._total - 1.0)

    def explained_variance_ratio(self) -> np.ndarray:
        """Each component's share of the total variance (sums to 1)."""
        v = self.vars()
        return v / v.sum()


class CC:
    """Canonical correlation analysis (Gonum's ``stat.CC``).

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.stat import CC
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal((50, 2))
    >>> y = np.column_stack([x[:, 0] + 0.1 * rng.standard_normal(50),
    ...                      rng.standard_normal(50)])
    >>> cc = CC()
    >>> cc.canonical_correlations(x, y)
    >>> bool(cc.corrs()[0] > 0.99)
    True
    """

    def __init__(self) -> None:
        self._ok = False

    def canonical_correlations(self, x: ArrayLike, y: ArrayLike,
                               weights: ArrayLike | None = None) -> None:
        """Analyse the paired data sets ``x`` (n×xd) and ``y`` (n×yd).

        Raises
        ------
        ValueError
            Different numbers of rows, NaN or infinite values, bad weights, or
            fewer than two observations.

        Notes
        -----
        With thin SVDs ``Xc = Ux Σx Vxᵀ`` and ``Yc = Uy Σy Vyᵀ`` of the centred
        data, the canonical correlation matrix ``Sx^-1/2 Sxy Sy^-1/2`` is
        ``Vx Uxᵀ Uy Vyᵀ``; its singular values are the canonical correlations
        (Gonum's construction).

        References
        ----------
        Koch, I. (2013). *Analysis of Multivariate and High-Dimensional Data*,
        Cambridge University Press, ch. 3.
        """
        self._ok = False
        nx = np.shape(x)[0] if np.ndim(x) else 0
        ny = np.shape(y)[0] if np.ndim(y) else 0
        if nx != ny:
            raise ValueError(f"stat.CC.canonical_correlations: x has {nx} rows but y has "
                             f"{ny}; rows are paired observations")
        op = "CC.canonical_correlations"
        self._x, self._total, _, xd = _centred_svd(x, weights, op, "x")
        self._y, _, _, yd = _centred_svd(y, weights, op, "y")
        xu, xv = np.asarray(self._x.u()), np.asarray(self._x.v())
        yu, yv = np.asarray(self._y.u()), np.asarray(self._y.v())
        ccor = xv @ (xu.T @ yu) @ yv.T
        self._c = SVD()
        self._c.factorize(ccor, "thin")
        self._dims = (xd, yd)
        self._ok = True

    def _check(self, op: str) -> None:
        if not self._ok:
            raise ValueError(f"stat.{op}: call canonical_correlations first")

    def corrs(self) -> np.ndarray:
        """The canonical correlations, descending."""
        self._check("CC.corrs")
        return self._c.values()

    def _back(self, vec: np.ndarray, svd: SVD) -> np.ndarray:
        s = svd.values()
        v = np.asarray(svd.v()) / np.sqrt(s)
        return (v @ (v.T @ vec)) * math.sqrt(self._total - 1.0)

    def left(self, sphered: bool = False) -> Dense:
        """Left vectors of the canonical correlation matrix (xd×min(xd, yd)); in the
        sphered space, or back-transformed to the centred data (Gonum's ``Left``)."""
        self._check("CC.left")
        u = np.asarray(self._c.u())
        return Dense._wrap(np.ascontiguousarray(u if sphered else self._back(u, self._x)))

    def right(self, sphered: bool = False) -> Dense:
        """Right vectors (yd×min(xd, yd)), sphered or back-transformed (Gonum's
        ``Right``)."""
        self._check("CC.right")
        v = np.asarray(self._c.v())
        return Dense._wrap(np.ascontiguousarray(v if sphered else self._back(v, self._y)))
