"""The Dirichlet and the multivariate (box) Uniform distributions (Gonum's
``distmv/dirichlet.go`` and ``distmv/uniform.go``)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy import special

from numkit.errors import ShapeError
from numkit.mat import SymDense
from numkit.stat.distmv._base import (
    RngLike,
    as_points,
    finite_vector,
    generator,
    sample_shape,
)

__all__ = ["Dirichlet", "Uniform"]

# A point is on the simplex when |Σx − 1| is within this; 1e-10 is the tolerance
# of scipy.stats.dirichlet, far above the d·eps rounding of normalised points.
SIMPLEX_TOL = 1e-10


def _propagate_nan(pts: np.ndarray, lp: np.ndarray) -> np.ndarray:
    """NaN where a point holds NaN (NaN in, NaN out)."""
    nan = np.isnan(pts).any(axis=-1)
    if nan.any():
        lp = np.where(nan, np.nan, lp)
    return lp


class Dirichlet:
    r"""The Dirichlet distribution on the (d − 1)-simplex (Gonum's ``distmv.Dirichlet``).

    .. math:: p(x) = \frac{\Gamma(\alpha_0)}{\prod_i \Gamma(\alpha_i)}
              \prod_i x_i^{\alpha_i - 1}, \qquad \alpha_0 = \sum_i \alpha_i

    Parameters
    ----------
    alpha : array-like, shape (d,)
        Concentrations, each positive and finite.

    Raises
    ------
    ShapeError
        If ``alpha`` is not a non-empty vector.
    ValueError
        If an element of ``alpha`` is not positive and finite.

    Notes
    -----
    ``log_prob`` is −inf off the simplex (a coordinate outside [0, 1] or
    |Σx − 1| > 1e-10, scipy's tolerance); it is formed with ``xlogy`` and
    ``gammaln`` so it stays finite where ``prob`` underflows. ``rand`` is numpy's
    ``Generator.dirichlet`` (normalised Gamma variates).

    References
    ----------
    Gonum, ``stat/distmv/dirichlet.go``. B. A. Frigyik, A. Kapila, M. R. Gupta,
    *Introduction to the Dirichlet Distribution and Related Processes*, UWEE
    Technical Report 2010-0006.

    Examples
    --------
    >>> from numkit.stat.distmv import Dirichlet
    >>> d = Dirichlet([1.0, 1.0, 1.0])      # uniform on the simplex
    >>> round(d.prob([0.2, 0.3, 0.5]), 12)
    2.0
    >>> d.mean()
    array([0.33333333, 0.33333333, 0.33333333])
    """

    __slots__ = ("_alpha", "_sum", "_log_norm")

    def __init__(self, alpha: npt.ArrayLike) -> None:
        a = finite_vector("Dirichlet", "alpha", alpha)
        bad = a <= 0
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"Dirichlet: alpha must be positive; alpha[{i}] is {float(a[i])!r}")
        self._alpha = a
        self._sum = float(a.sum())
        self._log_norm = float(special.gammaln(self._sum) - special.gammaln(a).sum())

    @property
    def alpha(self) -> np.ndarray:
        """The concentrations α (a read-only array)."""
        return self._alpha

    def dim(self) -> int:
        """The dimension d (Gonum's ``Dim``)."""
        return self._alpha.size

    def log_prob(self, x: npt.ArrayLike) -> float | np.ndarray:
        """The log density at a point of shape (d,) (a float) or at each point of
        an array of shape (..., d); −inf off the simplex, NaN for NaN input."""
        pts = as_points("Dirichlet.log_prob", x, self._alpha.size)
        with np.errstate(invalid="ignore"):
            lp = self._log_norm + special.xlogy(self._alpha - 1.0, pts).sum(axis=-1)
            on = ((pts >= 0) & (pts <= 1)).all(axis=-1) & (
                np.abs(pts.sum(axis=-1) - 1.0) <= SIMPLEX_TOL)
        lp = _propagate_nan(pts, np.where(on, lp, -np.inf))
        return float(lp) if pts.ndim == 1 else lp

    def prob(self, x: npt.ArrayLike) -> float | np.ndarray:
        """The density: ``exp(log_prob(x))``, same shapes."""
        lp = self.log_prob(x)
        return math.exp(lp) if isinstance(lp, float) else np.exp(lp)

    def rand(self, size: int | tuple[int, ...] | None = None,
             rng: RngLike = None) -> np.ndarray:
        """Random points of the simplex, shape ``size + (d,)``. ``rng`` is a numpy
        Generator (used as is) or a seed; no global state."""
        shape = sample_shape(size, self._alpha.size)
        return generator(rng).dirichlet(self._alpha, shape[:-1] or None)

    def mean(self) -> np.ndarray:
        """The mean α / α₀."""
        return self._alpha / self._sum

    def cov(self) -> SymDense:
        """The covariance (diag(m) − m mᵀ) / (α₀ + 1) with m = α / α₀
        (Gonum's ``CovarianceMatrix``)."""
        m = self._alpha / self._sum
        c = (np.diag(m) - np.outer(m, m)) / (self._sum + 1.0)
        return SymDense(m.size, c)

    def __repr__(self) -> str:
        return f"Dirichlet(dim={self._alpha.size})"


class Uniform:
    """The uniform distribution on a box, the product of intervals
    [bounds[i, 0], bounds[i, 1]] (Gonum's ``distmv.Uniform``).

    Parameters
    ----------
    bounds : array-like, shape (d, 2)
        Row i is (min, max) of coordinate i: finite, min < max.

    Raises
    ------
    ShapeError
        If ``bounds`` is not d×2 with d ≥ 1.
    ValueError
        If a bound is not finite or a row has min ≥ max.

    Notes
    -----
    The box is closed: ``log_prob`` is −Σ log(max − min) on it and −inf outside.

    References
    ----------
    Gonum, ``stat/distmv/uniform.go``.

    Examples
    --------
    >>> from numkit.stat.distmv import Uniform
    >>> u = Uniform([[0.0, 2.0], [-1.0, 1.0]])
    >>> u.prob([1.0, 0.5]), u.prob([3.0, 0.0])
    (0.25, 0.0)
    >>> round(u.entropy(), 12)
    1.386294361120
    """

    __slots__ = ("_bounds", "_log_volume")

    def __init__(self, bounds: npt.ArrayLike) -> None:
        try:
            b = np.array(bounds, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"Uniform: bounds must be a real (d, 2) array; "
                            f"got {bounds!r}") from None
        if b.ndim != 2 or b.shape[1] != 2 or b.shape[0] == 0:
            raise ShapeError(f"Uniform: bounds must have shape (d, 2) with d ≥ 1 "
                             f"(row i is (min, max) of coordinate i); got shape {b.shape}")
        bad = ~np.isfinite(b)
        if bad.any():
            i, j = (int(k) for k in np.argwhere(bad)[0])
            raise ValueError(f"Uniform: bounds must be finite; bounds[{i}, {j}] is "
                             f"{float(b[i, j])!r}")
        empty = b[:, 0] >= b[:, 1]
        if empty.any():
            i = int(np.flatnonzero(empty)[0])
            lo, hi = float(b[i, 0]), float(b[i, 1])
            raise ValueError(f"Uniform: bounds[{i}] = ({lo!r}, {hi!r}) needs min < max")
        b.flags.writeable = False
        self._bounds = b
        self._log_volume = float(np.log(b[:, 1] - b[:, 0]).sum())

    @property
    def bounds(self) -> np.ndarray:
        """The (d, 2) array of (min, max) rows (read-only; Gonum's ``Bounds``)."""
        return self._bounds

    def dim(self) -> int:
        """The dimension d (Gonum's ``Dim``)."""
        return self._bounds.shape[0]

    def log_prob(self, x: npt.ArrayLike) -> float | np.ndarray:
        """−log volume inside the (closed) box, −inf outside, NaN for NaN input;
        a float for one point of shape (d,), an array for shape (..., d)."""
        pts = as_points("Uniform.log_prob", x, self.dim())
        inside = ((pts >= self._bounds[:, 0]) & (pts <= self._bounds[:, 1])).all(axis=-1)
        lp = _propagate_nan(pts, np.where(inside, -self._log_volume, -np.inf))
        return float(lp) if pts.ndim == 1 else lp

    def prob(self, x: npt.ArrayLike) -> float | np.ndarray:
        """The density: ``exp(log_prob(x))``, same shapes."""
        lp = self.log_prob(x)
        return math.exp(lp) if isinstance(lp, float) else np.exp(lp)

    def rand(self, size: int | tuple[int, ...] | None = None,
             rng: RngLike = None) -> np.ndarray:
        """Random points of the box, shape ``size + (d,)``. ``rng`` is a numpy
        Generator (used as is) or a seed; no global state."""
        shape = sample_shape(size, self.dim())
        return generator(rng).uniform(self._bounds[:, 0], self._bounds[:, 1], shape)

    def mean(self) -> np.ndarray:
        """The centre of the box."""
        return 0.5 * (self._bounds[:, 0] + self._bounds[:, 1])

    def cov(self) -> SymDense:
        """The diagonal covariance, widths² / 12."""
        w = self._bounds[:, 1] - self._bounds[:, 0]
        return SymDense(w.size, np.diag(w * w / 12.0))

    def entropy(self) -> float:
        """The differential entropy: log of the box's volume, in nats."""
        return self._log_volume

    def __repr__(self) -> str:
        return f"Uniform(dim={self.dim()})"
