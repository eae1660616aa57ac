"""Beta, F, Uniform and Triangle distributions."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy import special

from numkit.stat.distuv._base import (
    Univariate,
    finite,
    fit_data,
    maximize_likelihood,
    positive,
    weighted_mean,
)

__all__ = ["F", "Beta", "Triangle", "Uniform"]


class Beta(Univariate):
    r"""Beta distribution on [0, 1] with shapes ``alpha`` and ``beta``.

    .. math:: p(x) = \frac{x^{\alpha-1}(1-x)^{\beta-1}}{B(\alpha, \beta)}

    Parameters
    ----------
    alpha, beta : float
        Shapes (positive, finite).

    Notes
    -----
    ``cdf`` is ``betainc``, ``survival`` ``betaincc`` (computed directly),
    ``quantile`` ``betaincinv``. The mode is NaN unless both shapes exceed 1 (as
    Gonum). ``fit`` is the MLE by Newton's method on the two score equations
    ψ(α) − ψ(α+β) = mean(log x), ψ(β) − ψ(α+β) = mean(log(1−x)) with the trigamma
    Hessian, started from the method of moments; 0 < x < 1.

    References
    ----------
    Gonum, ``stat/distuv/beta.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import Beta
    >>> d = Beta(2.0, 3.0)
    >>> d.mean(), round(d.cdf(0.4), 12)
    (0.4, 0.5248)
    """

    __slots__ = ()
    _family = "Beta"
    _names = ("alpha", "beta")

    def __init__(self, alpha: float = 1.0, beta: float = 1.0) -> None:
        self._init(positive("Beta", "alpha", alpha), positive("Beta", "beta", beta))

    @property
    def alpha(self) -> float:
        return self._params[0]

    @property
    def beta(self) -> float:
        return self._params[1]

    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    def mode(self) -> float:
        a, b = self._params
        return (a - 1.0) / (a + b - 2.0) if a > 1 and b > 1 else math.nan

    def variance(self) -> float:
        a, b = self._params
        return a * b / ((a + b) ** 2 * (a + b + 1.0))

    def skewness(self) -> float:
        a, b = self._params
        return 2.0 * (b - a) * math.sqrt(a + b + 1.0) / ((a + b + 2.0) * math.sqrt(a * b))

    def ex_kurtosis(self) -> float:
        a, b = self._params
        num = 6.0 * ((a - b) ** 2 * (a + b + 1.0) - a * b * (a + b + 2.0))
        return num / (a * b * (a + b + 2.0) * (a + b + 3.0))

    def entropy(self) -> float:
        a, b = self._params
        return float(special.betaln(a, b) - (a - 1.0) * special.digamma(a)
                     - (b - 1.0) * special.digamma(b)
                     + (a + b - 2.0) * special.digamma(a + b))

    def _sample(self, rng, size):
        return rng.beta(self.alpha, self.beta, size)

    def _score(self, x):
        a, b = self._params
        inside = (x >= 0) & (x <= 1)
        common = special.digamma(a + b)
        d_a = np.where(inside, np.log(x) - special.digamma(a) + common, np.nan)
        d_b = np.where(inside, np.log1p(-x) - special.digamma(b) + common, np.nan)
        return d_a, d_b

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> Beta:
        """Maximum-likelihood fit by Newton's method; 0 < x < 1."""
        x, w = fit_data("Beta", x, weights, low=0.0, low_open=True, high=1.0, high_open=True)
        m = weighted_mean(x, w)
        v = weighted_mean((x - m) ** 2, w)
        if v == 0:
            raise ValueError("Beta.fit: all samples are equal; the shapes are unbounded")
        common = m * (1.0 - m) / v - 1.0
        theta = np.log([max(m * common, 1e-3), max((1.0 - m) * common, 1e-3)])
        g = np.array([weighted_mean(np.log(x), w), weighted_mean(np.log1p(-x), w)])
        # Newton on log-shapes keeps them positive; the log-likelihood is concave in
        # (α, β) so the iteration converges from the moment estimate.
        for _ in range(200):
            a, b = np.exp(theta)
            grad = special.digamma(a + b) - special.digamma([a, b]) + g
            t = special.polygamma(1, a + b)
            hess = np.array([[t - special.polygamma(1, a), t], [t, t - special.polygamma(1, b)]])
            step = np.linalg.solve(hess, grad) / np.array([a, b])
            theta_new = theta - np.clip(step, -1.0, 1.0)
            if np.all(np.abs(theta_new - theta) <= 1e-15 * np.maximum(1.0, np.abs(theta))):
                theta = theta_new
                break
            theta = theta_new
        a, b = np.exp(theta)
        return cls(float(a), float(b))


class F(Univariate):
    r"""F distribution with ``d1`` and ``d2`` degrees of freedom.

    Parameters
    ----------
    d1, d2 : float
        Degrees of freedom (positive, finite).

    Notes
    -----
    ``cdf``/``survival`` are ``fdtr``/``fdtrc`` (regularised incomplete beta
    functions, the survival computed directly), ``quantile`` ``fdtri``. The mean is
    NaN for d2 ≤ 2 and the variance NaN for d2 ≤ 4 (as Gonum). ``fit`` maximises the
    likelihood by BFGS with the analytic score, started from the method of moments.

    References
    ----------
    Gonum, ``stat/distuv/f.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import F
    >>> round(F(5.0, 10.0).quantile(0.95), 8)
    3.32583453
    """

    __slots__ = ()
    _family = "F"
    _names = ("d1", "d2")

    def __init__(self, d1: float = 1.0, d2: float = 1.0) -> None:
        self._init(positive("F", "d1", d1), positive("F", "d2", d2))

    @property
    def d1(self) -> float:
        return self._params[0]

    @property
    def d2(self) -> float:
        return self._params[1]

    def mean(self) -> float:
        d2 = self.d2
        return d2 / (d2 - 2.0) if d2 > 2 else math.nan

    def mode(self) -> float:
        d1, d2 = self._params
        return (d1 - 2.0) / d1 * d2 / (d2 + 2.0) if d1 > 2 else math.nan

    def variance(self) -> float:
        d1, d2 = self._params
        if d2 <= 4:
            return math.nan
        return 2.0 * d2 ** 2 * (d1 + d2 - 2.0) / (d1 * (d2 - 2.0) ** 2 * (d2 - 4.0))

    def skewness(self) -> float:
        d1, d2 = self._params
        if d2 <= 6:
            return math.nan
        return ((2.0 * d1 + d2 - 2.0) * math.sqrt(8.0 * (d2 - 4.0))
                / ((d2 - 6.0) * math.sqrt(d1 * (d1 + d2 - 2.0))))

    def ex_kurtosis(self) -> float:
        d1, d2 = self._params
        if d2 <= 8:
            return math.nan
        num = d1 * (5.0 * d2 - 22.0) * (d1 + d2 - 2.0) + (d2 - 4.0) * (d2 - 2.0) ** 2
        return 12.0 * num / (d1 * (d2 - 6.0) * (d2 - 8.0) * (d1 + d2 - 2.0))

    def entropy(self) -> float:
        d1, d2 = self._params
        h1, h2, h = 0.5 * d1, 0.5 * d2, 0.5 * (d1 + d2)
        return float(special.gammaln(h1) + special.gammaln(h2) - special.gammaln(h)
                     + (1.0 - h1) * special.digamma(h1) - (1.0 + h2) * special.digamma(h2)
                     + h * special.digamma(h) + math.log(d2 / d1))

    def _sample(self, rng, size):
        return rng.f(self.d1, self.d2, size)

    def _score(self, x):
        d1, d2 = self._params
        inside = x > 0
        common = special.digamma(0.5 * (d1 + d2))
        t = d2 + d1 * x
        d_d1 = 0.5 * (math.log(d1) + 1.0 + np.log(x) - np.log(t) - (d1 + d2) * x / t
                      - special.digamma(0.5 * d1) + common)
        d_d2 = 0.5 * (math.log(d2) + 1.0 - np.log(t) - (d1 + d2) / t
                      - special.digamma(0.5 * d2) + common)
        return np.where(inside, d_d1, np.nan), np.where(inside, d_d2, np.nan)

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> F:
        """Maximum-likelihood fit of d1 and d2 by BFGS; x > 0."""
        x, w = fit_data("F", x, weights, low=0.0, low_open=True)
        m = weighted_mean(x, w)
        d2 = 2.0 * m / (m - 1.0) if m > 1.05 else 20.0
        d2 = min(max(d2, 4.5), 1e3)
        v = weighted_mean((x - m) ** 2, w)
        denom = v * (d2 - 2.0) ** 2 * (d2 - 4.0) - 2.0 * d2 ** 2
        d1 = 2.0 * d2 ** 2 * (d2 - 2.0) / denom if denom > 0 else 5.0
        d1 = min(max(d1, 0.5), 1e3)
        return maximize_likelihood(cls, x, w, (d1, d2), (True, True))


class Uniform(Univariate):
    """Continuous uniform distribution on [``min``, ``max``].

    Parameters
    ----------
    min, max : float
        Bounds (finite, min < max).

    Notes
    -----
    The mode is NaN (every point of the support is one). ``fit`` is the MLE: the
    sample minimum and maximum.

    References
    ----------
    Gonum, ``stat/distuv/uniform.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import Uniform
    >>> d = Uniform(1.0, 3.0)
    >>> d.prob(2.0), d.cdf(2.5), d.variance()
    (0.5, 0.75, 0.3333333333333333)
    """

    __slots__ = ()
    _family = "Uniform"
    _names = ("min", "max")

    def __init__(self, min: float = 0.0, max: float = 1.0) -> None:  # noqa: A002
        lo = finite("Uniform", "min", min)
        hi = finite("Uniform", "max", max)
        if not lo < hi:
            raise ValueError(f"Uniform: min must be less than max; got min={lo!r}, max={hi!r}")
        if not math.isfinite(hi - lo):
            raise ValueError(f"Uniform: max - min overflows; got min={lo!r}, max={hi!r}")
        self._init(lo, hi)

    @property
    def min(self) -> float:
        return self._params[0]

    @property
    def max(self) -> float:
        return self._params[1]

    def mean(self) -> float:
        return 0.5 * (self.min + self.max)

    def median(self) -> float:
        return self.mean()

    def mode(self) -> float:
        return math.nan

    def variance(self) -> float:
        return (self.max - self.min) ** 2 / 12.0

    def skewness(self) -> float:
        return 0.0

    def ex_kurtosis(self) -> float:
        return -1.2

    def entropy(self) -> float:
        return math.log(self.max - self.min)

    def _sample(self, rng, size):
        return rng.uniform(self.min, self.max, size)

    def _score(self, x):
        lo, hi = self._params
        inv = 1.0 / (hi - lo)
        inside = (x >= lo) & (x <= hi)
        d_min = np.where(inside & (x != lo), inv, np.nan)
        d_max = np.where(inside & (x != hi), -inv, np.nan)
        return d_min, d_max

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> Uniform:
        """Maximum-likelihood fit: the minimum and maximum of the samples of positive
        weight."""
        x, w = fit_data("Uniform", x, weights)
        x = x[w > 0]
        return cls(float(x.min()), float(x.max()))


class Triangle(Univariate):
    """Triangular distribution with lower limit ``a``, upper limit ``b`` and mode ``c``
    (Gonum's ``NewTriangle(a, b, c)``: a ≤ c ≤ b, a < b).

    Parameters
    ----------
    a, b, c : float
        Lower limit, upper limit and mode (finite).

    Notes
    -----
    ``fit`` is not a full maximum-likelihood fit, whose a and b sit at degenerate
    points: the limits are the sample range widened by range/(n − 1) at each end
    (the gap an order statistic leaves on average), and the mode is then the
    maximum-likelihood mode for those limits, which lies at a sample point (Oliver
    1972), found in O(n log n) with cumulative sums.

    References
    ----------
    Gonum, ``stat/distuv/triangle.go``. E. H. Oliver, "A maximum likelihood
    oddity", The American Statistician 26(3), 1972.

    Examples
    --------
    >>> from numkit.stat.distuv import Triangle
    >>> d = Triangle(0.0, 2.0, 1.0)
    >>> d.prob(1.0), d.cdf(1.0), d.quantile(0.5)
    (1.0, 0.5, 1.0)
    """

    __slots__ = ()
    _family = "Triangle"
    _names = ("a", "b", "c")

    def __init__(self, a: float = 0.0, b: float = 1.0, c: float = 0.5) -> None:
        lo = finite("Triangle", "a", a)
        hi = finite("Triangle", "b", b)
        mode = finite("Triangle", "c", c)
        if not (lo < hi and lo <= mode <= hi):
            raise ValueError(f"Triangle: need a <= c <= b and a < b; got a={lo!r}, b={hi!r}, "
                             f"c={mode!r}")
        self._init(lo, hi, mode)

    @property
    def a(self) -> float:
        return self._params[0]

    @property
    def b(self) -> float:
        return self._params[1]

    @property
    def c(self) -> float:
        return self._params[2]

    def mean(self) -> float:
        return (self.a + self.b + self.c) / 3.0

    def mode(self) -> float:
        return self.c

    def variance(self) -> float:
        a, b, c = self._params
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0

    def skewness(self) -> float:
        a, b, c = self._params
        q = a * a + b * b + c * c - a * b - a * c - b * c
        return math.sqrt(2.0) * (a + b - 2 * c) * (2 * a - b - c) * (a - 2 * b + c) / (
            5.0 * q ** 1.5)

    def ex_kurtosis(self) -> float:
        return -0.6

    def entropy(self) -> float:
        return 0.5 + math.log(0.5 * (self.b - self.a))

    def _sample(self, rng, size):
        a, b, c = self._params
        return rng.triangular(a, c, b, size)

    def _score(self, x):
        a, b, c = self._params
        left = (x >= a) & (x < c)
        right = (x > c) & (x <= b)
        d_a = np.where(left, -1.0 / (x - a) + 1.0 / (b - a) + 1.0 / (c - a),
                       np.where(right, 1.0 / (b - a), np.nan))
        d_b = np.where(left, -1.0 / (b - a),
                       np.where(right, 1.0 / (b - x) - 1.0 / (b - a) - 1.0 / (b - c), np.nan))
        d_c = np.where(left, -1.0 / (c - a), np.where(right, 1.0 / (b - c), np.nan))
        return d_a, d_b, d_c

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> Triangle:
        """Widened sample range for a and b, maximum-likelihood mode c (see Notes)."""
        x, w = fit_data("Triangle", x, weights)
        keep = w > 0
        x, w = x[keep], w[keep]
        order = np.argsort(x, kind="stable")
        x, w = x[order], w[order]
        n = x.size
        spread = x[-1] - x[0]
        if n < 2 or spread == 0:
            raise ValueError("Triangle.fit: needs at least two distinct samples")
        a = x[0] - spread / (n - 1)
        b = x[-1] + spread / (n - 1)
        # Log-likelihood with the mode at sample i (points left of it use the
        # rising edge, points right of it the falling one).
        log_left = np.concatenate(([0.0], np.cumsum(w * np.log(x - a))[:-1]))
        w_left = np.concatenate(([0.0], np.cumsum(w)[:-1]))
        log_right = np.concatenate((np.cumsum((w * np.log(b - x))[::-1])[::-1][1:], [0.0]))
        w_right = w.sum() - w_left - w
        ll = (log_left - w_left * np.log(x - a) + log_right - w_right * np.log(b - x))
        return cls(float(a), float(b), float(x[int(np.argmax(ll))]))
