"""Weibull, Gumbel, Pareto, Laplace and Logistic distributions."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from numkit.stat.distuv._base import (
    Univariate,
    finite,
    fit_data,
    maximize_likelihood,
    positive,
    weighted_mean,
    weighted_median,
)

__all__ = ["Gumbel", "Laplace", "Logistic", "Pareto", "Weibull"]

_EULER = 0.5772156649015329
_ZETA3 = 1.2020569031595943
_NEWTON_STEPS = 100


class Weibull(Univariate):
    r"""Weibull distribution with shape ``k`` and scale ``lambda_``.

    .. math:: p(x) = \frac{k}{\lambda}\left(\frac{x}{\lambda}\right)^{k-1}
              e^{-(x/\lambda)^k}, \quad x \ge 0

    Parameters
    ----------
    k : float
        Shape (positive, finite).
    lambda_ : float
        Scale (positive, finite).

    Notes
    -----
    ``fit`` is the MLE: k solves Σw xᵏ log x / Σw xᵏ − 1/k = mean(log x) by Newton's
    method (on data scaled by its maximum, so xᵏ cannot overflow), then
    λ = (Σw xᵏ / Σw)^(1/k).

    References
    ----------
    Gonum, ``stat/distuv/weibull.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import Weibull
    >>> d = Weibull(1.0, 2.0)
    >>> d.mean(), d.variance()
    (2.0, 4.0)
    """

    __slots__ = ()
    _family = "Weibull"
    _names = ("k", "lambda_")

    def __init__(self, k: float = 1.0, lambda_: float = 1.0) -> None:
        self._init(positive("Weibull", "k", k), positive("Weibull", "lambda_", lambda_))

    @property
    def k(self) -> float:
        return self._params[0]

    @property
    def lambda_(self) -> float:
        return self._params[1]

    def _raw_moment(self, i: int) -> float:
        return self.lambda_ ** i * math.gamma(1.0 + i / self.k)

    def mean(self) -> float:
        return self._raw_moment(1)

    def median(self) -> float:
        return self.lambda_ * math.log(2.0) ** (1.0 / self.k)

    def mode(self) -> float:
        k = self.k
        return self.lambda_ * ((k - 1.0) / k) ** (1.0 / k) if k > 1 else 0.0

    def variance(self) -> float:
        return self._raw_moment(2) - self.mean() ** 2

    def skewness(self) -> float:
        mu, var = self.mean(), self.variance()
        return (self._raw_moment(3) - 3 * mu * var - mu ** 3) / var ** 1.5

    def ex_kurtosis(self) -> float:
        mu, var = self.mean(), self.variance()
        sd = math.sqrt(var)
        return ((self._raw_moment(4) - 4 * self.skewness() * mu * sd ** 3
                 - 6 * mu ** 2 * var - mu ** 4) / var ** 2 - 3.0)

    def entropy(self) -> float:
        k = self.k
        return _EULER * (1.0 - 1.0 / k) + math.log(self.lambda_ / k) + 1.0

    def _sample(self, rng, size):
        return self.lambda_ * rng.weibull(self.k, size)

    def _score(self, x):
        k, lam = self._params
        inside = x > 0
        u = np.log(x / lam)
        t = np.exp(k * u)
        return (np.where(inside, 1.0 / k + u - t * u, np.nan),
                np.where(inside, k / lam * (t - 1.0), np.nan))

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> Weibull:
        """Maximum-likelihood fit by Newton's method for the shape; x > 0."""
        x, w = fit_data("Weibull", x, weights, low=0.0, low_open=True)
        top = float(x.max())
        logx = np.log(x / top)  # ≤ 0, so exp(k·logx) ≤ 1
        mean_log = weighted_mean(logx, w)
        sd_log = math.sqrt(weighted_mean((logx - mean_log) ** 2, w))
        if sd_log == 0:
            raise ValueError("Weibull.fit: all samples are equal; the shape is unbounded")
        k = math.pi / (math.sqrt(6.0) * sd_log)  # moment estimate from Var(log X)
        for _ in range(_NEWTON_STEPS):
            t = w * np.exp(k * logx)
            s0, s1, s2 = t.sum(), np.dot(t, logx), np.dot(t, logx * logx)
            g = s1 / s0 - 1.0 / k - mean_log
            dg = (s2 * s0 - s1 * s1) / (s0 * s0) + 1.0 / (k * k)
            k_new = k - g / dg
            if k_new <= 0:
                k_new = 0.5 * k
            if abs(k_new - k) <= 4 * np.finfo(float).eps * k:
                k = k_new
                break
            k = k_new
        lam = top * (weighted_mean(np.exp(k * logx), w)) ** (1.0 / k)
        return cls(k, lam)


class Gumbel(Univariate):
    r"""Gumbel (right-skewed, maximum) distribution with location ``mu`` and scale
    ``beta``: F(x) = exp(−exp(−(x − μ)/β)).

    Parameters
    ----------
    mu : float
        Location (finite).
    beta : float
        Scale (positive, finite).

    Notes
    -----
    ``survival`` is −expm1(−exp(−z)), accurate in the upper tail. ``fit`` is the
    MLE: β solves β = x̄ − Σw x e^(−x/β) / Σw e^(−x/β) by Newton's method (on data
    shifted by its minimum), then μ = −β log(Σw e^(−x/β) / Σw).

    References
    ----------
    Gonum, ``stat/distuv/gumbel.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import Gumbel
    >>> round(Gumbel(0.0, 1.0).mean(), 12)
    0.577215664902
    """

    __slots__ = ()
    _family = "Gumbel"
    _names = ("mu", "beta")

    def __init__(self, mu: float = 0.0, beta: float = 1.0) -> None:
        self._init(finite("Gumbel", "mu", mu), positive("Gumbel", "beta", beta))

    @property
    def mu(self) -> float:
        return self._params[0]

    @property
    def beta(self) -> float:
        return self._params[1]

    def mean(self) -> float:
        return self.mu + self.beta * _EULER

    def median(self) -> float:
        return self.mu - self.beta * math.log(math.log(2.0))

    def mode(self) -> float:
        return self.mu

    def variance(self) -> float:
        return math.pi ** 2 / 6.0 * self.beta ** 2

    def skewness(self) -> float:
        return 12.0 * math.sqrt(6.0) * _ZETA3 / math.pi ** 3

    def ex_kurtosis(self) -> float:
        return 2.4

    def entropy(self) -> float:
        return math.log(self.beta) + _EULER + 1.0

    def _sample(self, rng, size):
        return rng.gumbel(self.mu, self.beta, size)

    def _score(self, x):
        mu, beta = self._params
        z = (x - mu) / beta
        g = -np.expm1(-z)  # 1 − e^(−z)
        return g / beta, (z * g - 1.0) / beta

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> Gumbel:
        """Maximum-likelihood fit by Newton's method for the scale."""
        x, w = fit_data("Gumbel", x, weights)
        shift = float(x.min())
        y = x - shift
        m = weighted_mean(y, w)
        sd = math.sqrt(weighted_mean((y - m) ** 2, w))
        if sd == 0:
            raise ValueError("Gumbel.fit: all samples are equal, so beta would be 0")
        beta = sd * math.sqrt(6.0) / math.pi
        for _ in range(_NEWTON_STEPS):
            e = w * np.exp(-y / beta)
            s0, s1, s2 = e.sum(), np.dot(e, y), np.dot(e, y * y)
            ey = s1 / s0
            h = beta - m + ey
            dh = 1.0 + (s2 / s0 - ey * ey) / beta ** 2
            beta_new = beta - h / dh
            if beta_new <= 0:
                beta_new = 0.5 * beta
            if abs(beta_new - beta) <= 4 * np.finfo(float).eps * beta:
                beta = beta_new
                break
            beta = beta_new
        mu = shift - beta * math.log(weighted_mean(np.exp(-y / beta), w))
        return cls(mu, beta)


class Pareto(Univariate):
    r"""Pareto (type I) distribution with scale ``xm`` and shape ``alpha``:
    p(x) = α xmᵅ / x^(α+1) for x ≥ xm.

    Parameters
    ----------
    xm : float
        Scale, the lower end of the support (positive, finite).
    alpha : float
        Shape (positive, finite).

    Notes
    -----
    The mean is +inf for alpha ≤ 1, the variance +inf for alpha ≤ 2. ``fit`` is
    the closed-form MLE: xm the sample minimum, α = Σw / Σw log(x/xm).

    References
    ----------
    Gonum, ``stat/distuv/pareto.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import Pareto
    >>> d = Pareto(1.0, 2.0)
    >>> d.mean(), d.survival(2.0)
    (2.0, 0.25)
    """

    __slots__ = ()
    _family = "Pareto"
    _names = ("xm", "alpha")

    def __init__(self, xm: float = 1.0, alpha: float = 1.0) -> None:
        self._init(positive("Pareto", "xm", xm), positive("Pareto", "alpha", alpha))

    @property
    def xm(self) -> float:
        return self._params[0]

    @property
    def alpha(self) -> float:
        return self._params[1]

    def mean(self) -> float:
        a = self.alpha
        return a * self.xm / (a - 1.0) if a > 1 else math.inf

    def median(self) -> float:
        return self.xm * 2.0 ** (1.0 / self.alpha)

    def mode(self) -> float:
        return self.xm

    def variance(self) -> float:
        a = self.alpha
        return self.xm ** 2 * a / ((a - 1.0) ** 2 * (a - 2.0)) if a > 2 else math.inf

    def skewness(self) -> float:
        a = self.alpha
        if a <= 3:
            return math.nan
        return 2.0 * (1.0 + a) / (a - 3.0) * math.sqrt((a - 2.0) / a)

    def ex_kurtosis(self) -> float:
        a = self.alpha
        if a <= 4:
            return math.nan
        return 6.0 * (a ** 3 + a ** 2 - 6.0 * a - 2.0) / (a * (a - 3.0) * (a - 4.0))

    def entropy(self) -> float:
        a = self.alpha
        return math.log(self.xm / a) + 1.0 / a + 1.0

    def _sample(self, rng, size):
        return self.xm * (1.0 + rng.pareto(self.alpha, size))

    def _score(self, x):
        xm, a = self._params
        inside = x >= xm
        return (np.where(inside, a / xm, np.nan),
                np.where(inside, 1.0 / a + np.log(xm / x), np.nan))

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> Pareto:
        """Maximum-likelihood fit (closed form); x > 0."""
        x, w = fit_data("Pareto", x, weights, low=0.0, low_open=True)
        xm = float(x[w > 0].min())
        s = float(np.dot(w, np.log(x / xm)))
        if s == 0:
            raise ValueError("Pareto.fit: all samples are equal; alpha is unbounded")
        return cls(xm, float(w.sum()) / s)


class Laplace(Univariate):
    r"""Laplace (double exponential) distribution with location ``mu`` and scale
    ``scale``: p(x) = e^(−|x − μ|/b) / (2b).

    Parameters
    ----------
    mu : float
        Location (finite).
    scale : float
        Scale b (positive, finite).

    Notes
    -----
    ``fit`` is the MLE: μ the weighted median, b the weighted mean absolute
    deviation from it (as Gonum's ``Laplace.Fit``).

    References
    ----------
    Gonum, ``stat/distuv/laplace.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import Laplace
    >>> d = Laplace(0.0, 1.0)
    >>> d.cdf(0.0), d.variance()
    (0.5, 2.0)
    """

    __slots__ = ()
    _family = "Laplace"
    _names = ("mu", "scale")

    def __init__(self, mu: float = 0.0, scale: float = 1.0) -> None:
        self._init(finite("Laplace", "mu", mu), positive("Laplace", "scale", scale))

    @property
    def mu(self) -> float:
        return self._params[0]

    @property
    def scale(self) -> float:
        return self._params[1]

    def mean(self) -> float:
        return self.mu

    def median(self) -> float:
        return self.mu

    def mode(self) -> float:
        return self.mu

    def variance(self) -> float:
        return 2.0 * self.scale ** 2

    def skewness(self) -> float:
        return 0.0

    def ex_kurtosis(self) -> float:
        return 3.0

    def entropy(self) -> float:
        return 1.0 + math.log(2.0 * self.scale)

    def _sample(self, rng, size):
        return rng.laplace(self.mu, self.scale, size)

    def _score(self, x):
        mu, b = self._params
        d = x - mu
        return (np.where(d == 0, np.nan, np.sign(d) / b), (np.abs(d) / b - 1.0) / b)

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> Laplace:
        """Maximum-likelihood fit: weighted median and mean absolute deviation."""
        x, w = fit_data("Laplace", x, weights)
        mu = weighted_median(x, w)
        b = weighted_mean(np.abs(x - mu), w)
        if b == 0:
            raise ValueError("Laplace.fit: all samples are equal, so scale would be 0")
        return cls(mu, b)


class Logistic(Univariate):
    r"""Logistic distribution with location ``mu`` and scale ``s``:
    F(x) = 1 / (1 + e^(−(x − μ)/s)).

    Parameters
    ----------
    mu : float
        Location (finite).
    s : float
        Scale (positive, finite).

    Notes
    -----
    ``cdf``/``survival`` are ``expit(±z)``, ``quantile`` μ + s·logit(p). ``fit``
    maximises the likelihood by BFGS with the analytic score, from the mean and
    √3·sd/π.

    References
    ----------
    Gonum, ``stat/distuv/logistic.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import Logistic
    >>> d = Logistic(0.0, 1.0)
    >>> d.cdf(0.0), round(d.variance(), 12)
    (0.5, 3.289868133696)
    """

    __slots__ = ()
    _family = "Logistic"
    _names = ("mu", "s")

    def __init__(self, mu: float = 0.0, s: float = 1.0) -> None:
        self._init(finite("Logistic", "mu", mu), positive("Logistic", "s", s))

    @property
    def mu(self) -> float:
        return self._params[0]

    @property
    def s(self) -> float:
        return self._params[1]

    def mean(self) -> float:
        return self.mu

    def median(self) -> float:
        return self.mu

    def mode(self) -> float:
        return self.mu

    def variance(self) -> float:
        return (math.pi * self.s) ** 2 / 3.0

    def skewness(self) -> float:
        return 0.0

    def ex_kurtosis(self) -> float:
        return 1.2

    def entropy(self) -> float:
        return math.log(self.s) + 2.0

    def _sample(self, rng, size):
        return rng.logistic(self.mu, self.s, size)

    def _score(self, x):
        mu, s = self._params
        z = (x - mu) / s
        t = np.tanh(0.5 * z)
        return t / s, (z * t - 1.0) / s

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> Logistic:
        """Maximum-likelihood fit of mu and s by BFGS."""
        x, w = fit_data("Logistic", x, weights)
        m = weighted_mean(x, w)
        sd = math.sqrt(weighted_mean((x - m) ** 2, w))
        if sd == 0:
            raise ValueError("Logistic.fit: all samples are equal, so s would be 0")
        return maximize_likelihood(cls, x, w, (m, sd * math.sqrt(3.0) / math.pi),
                                   (False, True))
