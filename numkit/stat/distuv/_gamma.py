"""Exponential, Gamma, ChiSquared and InverseGamma distributions."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy import special

from numkit.stat.distuv._base import Univariate, fit_data, positive, weighted_mean

__all__ = ["ChiSquared", "Exponential", "Gamma", "InverseGamma"]

_NEWTON_STEPS = 100  # quadratic convergence from the starts below takes < 10


def _gamma_shape(s: float, op: str) -> float:
    """Solve log(a) − ψ(a) = s (s = log mean − mean log > 0) for the Gamma shape.

    Newton's method on a, started at Minka's approximation
    a₀ = (3 − s + √((s − 3)² + 24 s)) / (12 s), which is within 1.5 % everywhere.
    """
    if not s > 0:
        raise ValueError(f"{op}: all samples are equal; the shape is unbounded")
    a = (3.0 - s + math.sqrt((s - 3.0) ** 2 + 24.0 * s)) / (12.0 * s)
    for _ in range(_NEWTON_STEPS):
        f = math.log(a) - float(special.digamma(a)) - s
        step = f / (1.0 / a - float(special.polygamma(1, a)))
        a_new = a - step
        if a_new <= 0:
            a_new = 0.5 * a
        if abs(a_new - a) <= 4 * np.finfo(float).eps * a:
            return a_new
        a = a_new
    return a


def _inverse_digamma(y: float) -> float:
    """ψ⁻¹(y) by Newton's method from Minka's start (Minka 2000, Appendix C)."""
    x = math.exp(y) + 0.5 if y >= -2.22 else -1.0 / (y + 0.5772156649015329)
    for _ in range(_NEWTON_STEPS):
        step = (float(special.digamma(x)) - y) / float(special.polygamma(1, x))
        x_new = x - step
        if x_new <= 0:
            x_new = 0.5 * x
        if abs(x_new - x) <= 4 * np.finfo(float).eps * x:
            return x_new
        x = x_new
    return x


class Exponential(Univariate):
    r"""Exponential distribution with rate ``rate``: p(x) = rate·e^(−rate·x), x ≥ 0.

    Parameters
    ----------
    rate : float
        Rate λ (positive, finite); the mean is 1/rate.

    Notes
    -----
    ``cdf`` is −expm1(−rate·x) and ``survival`` exp(−rate·x), both accurate in
    their tails. ``fit`` is the closed-form MLE, rate = Σw / Σw·x.

    References
    ----------
    Gonum, ``stat/distuv/exponential.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import Exponential
    >>> d = Exponential(2.0)
    >>> d.mean(), d.quantile(0.5) == d.median()
    (0.5, True)
    """

    __slots__ = ()
    _family = "Exponential"
    _names = ("rate",)

    def __init__(self, rate: float = 1.0) -> None:
        self._init(positive("Exponential", "rate", rate))

    @property
    def rate(self) -> float:
        return self._params[0]

    def mean(self) -> float:
        return 1.0 / self.rate

    def median(self) -> float:
        return math.log(2.0) / self.rate

    def mode(self) -> float:
        return 0.0

    def variance(self) -> float:
        return 1.0 / self.rate ** 2

    def skewness(self) -> float:
        return 2.0

    def ex_kurtosis(self) -> float:
        return 6.0

    def entropy(self) -> float:
        return 1.0 - math.log(self.rate)

    def _sample(self, rng, size):
        return rng.exponential(1.0 / self.rate, size)

    def _score(self, x):
        return (np.where(x >= 0, 1.0 / self.rate - x, np.nan),)

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> Exponential:
        """Maximum-likelihood fit (closed form): rate = 1 / weighted mean; x ≥ 0."""
        x, w = fit_data("Exponential", x, weights, low=0.0)
        m = weighted_mean(x, w)
        if m == 0:
            raise ValueError("Exponential.fit: all samples are 0, so the rate is unbounded")
        return cls(1.0 / m)


class Gamma(Univariate):
    r"""Gamma distribution with shape ``alpha`` and *rate* ``beta`` (as Gonum).

    .. math:: p(x) = \frac{\beta^\alpha}{\Gamma(\alpha)} x^{\alpha-1} e^{-\beta x}

    Parameters
    ----------
    alpha : float
        Shape (positive, finite).
    beta : float
        Rate (positive, finite); scipy's ``scale`` is 1/beta.

    Notes
    -----
    ``cdf`` is the regularised ``gammainc(alpha, beta·x)``, ``survival``
    ``gammaincc`` (not 1 − cdf), ``quantile`` ``gammaincinv``. ``fit`` is the
    maximum-likelihood estimate: the shape solves log α − ψ(α) = log x̄ − mean(log x)
    by Newton's method from Minka's start, then β = α / x̄.

    References
    ----------
    Gonum, ``stat/distuv/gamma.go``. T. P. Minka, "Estimating a Gamma
    distribution", 2002.

    Examples
    --------
    >>> from numkit.stat.distuv import Gamma
    >>> d = Gamma(2.0, 4.0)
    >>> d.mean(), d.variance()
    (0.5, 0.125)
    """

    __slots__ = ()
    _family = "Gamma"
    _names = ("alpha", "beta")

    def __init__(self, alpha: float = 1.0, beta: float = 1.0) -> None:
        self._init(positive("Gamma", "alpha", alpha), positive("Gamma", "beta", beta))

    @property
    def alpha(self) -> float:
        return self._params[0]

    @property
    def beta(self) -> float:
        return self._params[1]

    def mean(self) -> float:
        return self.alpha / self.beta

    def mode(self) -> float:
        return (self.alpha - 1.0) / self.beta if self.alpha >= 1 else 0.0

    def variance(self) -> float:
        return self.alpha / self.beta ** 2

    def skewness(self) -> float:
        return 2.0 / math.sqrt(self.alpha)

    def ex_kurtosis(self) -> float:
        return 6.0 / self.alpha

    def entropy(self) -> float:
        a = self.alpha
        return float(a - math.log(self.beta) + special.gammaln(a)
                     + (1.0 - a) * special.digamma(a))

    def _sample(self, rng, size):
        return rng.gamma(self.alpha, 1.0 / self.beta, size)

    def _score(self, x):
        a, b = self._params
        inside = x >= 0
        d_a = np.where(inside, math.log(b) + np.log(x) - special.digamma(a), np.nan)
        d_b = np.where(inside, a / b - x, np.nan)
        return d_a, d_b

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> Gamma:
        """Maximum-likelihood fit; x > 0 (Newton's method for the shape)."""
        x, w = fit_data("Gamma", x, weights, low=0.0, low_open=True)
        m = weighted_mean(x, w)
        a = _gamma_shape(math.log(m) - weighted_mean(np.log(x), w), "Gamma.fit")
        return cls(a, a / m)


class ChiSquared(Univariate):
    r"""Chi-squared distribution with ``k`` degrees of freedom (Gamma(k/2, rate 1/2)).

    Parameters
    ----------
    k : float
        Degrees of freedom (positive, finite; need not be an integer).

    Notes
    -----
    Evaluated as the Gamma distribution with shape k/2 and rate 1/2. ``fit`` is the
    maximum-likelihood estimate k = 2 ψ⁻¹(mean(log x) − log 2), ψ⁻¹ by Newton's
    method.

    References
    ----------
    Gonum, ``stat/distuv/chisquared.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import ChiSquared
    >>> round(ChiSquared(1.0).quantile(0.95), 10)
    3.8414588207
    """

    __slots__ = ()
    _family = "ChiSquared"
    _names = ("k",)

    def __init__(self, k: float = 1.0) -> None:
        self._init(positive("ChiSquared", "k", k))

    @property
    def k(self) -> float:
        return self._params[0]

    def mean(self) -> float:
        return self.k

    def mode(self) -> float:
        return max(self.k - 2.0, 0.0)

    def variance(self) -> float:
        return 2.0 * self.k

    def skewness(self) -> float:
        return math.sqrt(8.0 / self.k)

    def ex_kurtosis(self) -> float:
        return 12.0 / self.k

    def entropy(self) -> float:
        h = 0.5 * self.k
        return float(h + math.log(2.0) + special.gammaln(h) + (1.0 - h) * special.digamma(h))

    def _sample(self, rng, size):
        return rng.chisquare(self.k, size)

    def _score(self, x):
        return (np.where(x >= 0, 0.5 * (np.log(x) - math.log(2.0)
                                        - special.digamma(0.5 * self.k)), np.nan),)

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> ChiSquared:
        """Maximum-likelihood fit of k; x > 0."""
        x, w = fit_data("ChiSquared", x, weights, low=0.0, low_open=True)
        return cls(2.0 * _inverse_digamma(weighted_mean(np.log(x), w) - math.log(2.0)))


class InverseGamma(Univariate):
    r"""Inverse gamma distribution with shape ``alpha`` and scale ``beta``: 1/X is
    Gamma(alpha, rate beta).

    .. math:: p(x) = \frac{\beta^\alpha}{\Gamma(\alpha)} x^{-\alpha-1} e^{-\beta/x}

    Parameters
    ----------
    alpha : float
        Shape (positive, finite).
    beta : float
        Scale (positive, finite).

    Notes
    -----
    ``cdf`` is ``gammaincc(alpha, beta/x)``, ``survival`` ``gammainc``, ``quantile``
    beta / ``gammainccinv(alpha, p)``. The mean is +inf for alpha ≤ 1, the variance
    +inf for alpha ≤ 2. ``fit`` is the MLE, by the Gamma fit of 1/x (the likelihoods
    differ by a Jacobian that does not depend on the parameters).

    References
    ----------
    Gonum, ``stat/distuv/inversegamma.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import InverseGamma
    >>> InverseGamma(3.0, 4.0).mean()
    2.0
    """

    __slots__ = ()
    _family = "InverseGamma"
    _names = ("alpha", "beta")

    def __init__(self, alpha: float = 1.0, beta: float = 1.0) -> None:
        self._init(positive("InverseGamma", "alpha", alpha),
                   positive("InverseGamma", "beta", beta))

    @property
    def alpha(self) -> float:
        return self._params[0]

    @property
    def beta(self) -> float:
        return self._params[1]

    def mean(self) -> float:
        return self.beta / (self.alpha - 1.0) if self.alpha > 1 else math.inf

    def mode(self) -> float:
        return self.beta / (self.alpha + 1.0)

    def variance(self) -> float:
        a = self.alpha
        return self.beta ** 2 / ((a - 1.0) ** 2 * (a - 2.0)) if a > 2 else math.inf

    def skewness(self) -> float:
        a = self.alpha
        return 4.0 * math.sqrt(a - 2.0) / (a - 3.0) if a > 3 else math.nan

    def ex_kurtosis(self) -> float:
        a = self.alpha
        return (30.0 * a - 66.0) / ((a - 3.0) * (a - 4.0)) if a > 4 else math.nan

    def entropy(self) -> float:
        a = self.alpha
        return float(a + math.log(self.beta) + special.gammaln(a)
                     - (1.0 + a) * special.digamma(a))

    def _sample(self, rng, size):
        return self.beta / rng.gamma(self.alpha, 1.0, size)

    def _score(self, x):
        a, b = self._params
        inside = x > 0
        d_a = np.where(inside, math.log(b) - special.digamma(a) - np.log(x), np.nan)
        d_b = np.where(inside, a / b - 1.0 / x, np.nan)
        return d_a, d_b

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> InverseGamma:
        """Maximum-likelihood fit; x > 0 (the Gamma fit of 1/x)."""
        x, w = fit_data("InverseGamma", x, weights, low=0.0, low_open=True)
        g = Gamma.fit(1.0 / x, w)
        return cls(g.alpha, g.beta)
