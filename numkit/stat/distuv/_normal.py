"""Normal, LogNormal and Student's t distributions."""

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

__all__ = ["LogNormal", "Normal", "StudentsT"]

_LOG_2PI_E = math.log(2 * math.pi) + 1.0


class Normal(Univariate):
    r"""Normal (Gaussian) distribution with mean ``mu`` and standard deviation ``sigma``.

    .. math:: p(x) = \frac{1}{\sigma\sqrt{2\pi}} e^{-(x-\mu)^2 / (2\sigma^2)}

    Parameters
    ----------
    mu : float
        Mean (finite).
    sigma : float
        Standard deviation (positive, finite).

    Raises
    ------
    ValueError
        If ``sigma`` is not positive and finite or ``mu`` is not finite.

    Notes
    -----
    ``cdf`` is ``ndtr(z)`` and ``survival`` ``ndtr(-z)`` (both accurate in their
    tails, with z = (x − mu)/sigma); ``quantile`` is ``mu + sigma·ndtri(p)``.
    ``fit`` is the maximum-likelihood estimate: the weighted mean and the
    *population* standard deviation (Gonum's ``Normal.Fit`` uses the sample
    standard deviation, which is not the MLE).

    References
    ----------
    Gonum, ``stat/distuv/norm.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import Normal
    >>> d = Normal(0.0, 1.0)
    >>> round(d.cdf(1.959963984540054), 12)
    0.975
    >>> d.survival([8.0, 20.0])
    array([6.22096057e-16, 2.75362412e-89])
    """

    __slots__ = ()
    _family = "Normal"
    _names = ("mu", "sigma")

    def __init__(self, mu: float = 0.0, sigma: float = 1.0) -> None:
        self._init(finite("Normal", "mu", mu), positive("Normal", "sigma", sigma))

    @property
    def mu(self) -> float:
        return self._params[0]

    @property
    def sigma(self) -> float:
        return self._params[1]

    def mean(self) -> float:
        return self.mu

    def median(self) -> float:
        return self.mu

    def mode(self) -> float:
        return self.mu

    def variance(self) -> float:
        return self.sigma ** 2

    def std_dev(self) -> float:
        return self.sigma

    def skewness(self) -> float:
        return 0.0

    def ex_kurtosis(self) -> float:
        return 0.0

    def entropy(self) -> float:
        return 0.5 * _LOG_2PI_E + math.log(self.sigma)

    def _sample(self, rng, size):
        return rng.normal(self.mu, self.sigma, size)

    def _score(self, x):
        z = (x - self.mu) / self.sigma
        return z / self.sigma, (z * z - 1.0) / self.sigma

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> Normal:
        """Maximum-likelihood fit: weighted mean and population standard deviation.

        Returns a new instance; ``x`` must be 1-D, finite and non-empty, ``weights``
        non-negative frequency weights of the same length.
        """
        x, w = fit_data("Normal", x, weights)
        mu = weighted_mean(x, w)
        sigma = math.sqrt(weighted_mean((x - mu) ** 2, w))
        if sigma == 0:
            raise ValueError("Normal.fit: all samples are equal, so sigma would be 0")
        return cls(mu, sigma)


class LogNormal(Univariate):
    r"""Log-normal distribution: log X is Normal(mu, sigma).

    Parameters
    ----------
    mu : float
        Mean of log X (finite).
    sigma : float
        Standard deviation of log X (positive, finite).

    Notes
    -----
    ``fit`` is the closed-form MLE: the Normal fit of log x.

    References
    ----------
    Gonum, ``stat/distuv/lognormal.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import LogNormal
    >>> d = LogNormal(0.0, 1.0)
    >>> d.median(), round(d.cdf(1.0), 12)
    (1.0, 0.5)
    """

    __slots__ = ()
    _family = "LogNormal"
    _names = ("mu", "sigma")

    def __init__(self, mu: float = 0.0, sigma: float = 1.0) -> None:
        self._init(finite("LogNormal", "mu", mu), positive("LogNormal", "sigma", sigma))

    @property
    def mu(self) -> float:
        return self._params[0]

    @property
    def sigma(self) -> float:
        return self._params[1]

    def mean(self) -> float:
        return math.exp(self.mu + 0.5 * self.sigma ** 2)

    def median(self) -> float:
        return math.exp(self.mu)

    def mode(self) -> float:
        return math.exp(self.mu - self.sigma ** 2)

    def variance(self) -> float:
        s2 = self.sigma ** 2
        return math.expm1(s2) * math.exp(2 * self.mu + s2)

    def skewness(self) -> float:
        s2 = self.sigma ** 2
        return (math.exp(s2) + 2) * math.sqrt(math.expm1(s2))

    def ex_kurtosis(self) -> float:
        s2 = self.sigma ** 2
        return math.exp(4 * s2) + 2 * math.exp(3 * s2) + 3 * math.exp(2 * s2) - 6

    def entropy(self) -> float:
        return self.mu + 0.5 * _LOG_2PI_E + math.log(self.sigma)

    def _sample(self, rng, size):
        return rng.lognormal(self.mu, self.sigma, size)

    def _score(self, x):
        z = np.where(x > 0, (np.log(x) - self.mu) / self.sigma, np.nan)
        return z / self.sigma, (z * z - 1.0) / self.sigma

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> LogNormal:
        """Maximum-likelihood fit (closed form): the Normal fit of ``log(x)``; x > 0."""
        x, w = fit_data("LogNormal", x, weights, low=0.0, low_open=True)
        n = Normal.fit(np.log(x), w)
        return cls(n.mu, n.sigma)


class StudentsT(Univariate):
    r"""Student's t distribution with location ``mu``, scale ``sigma`` and ``nu``
    degrees of freedom (Gonum's ``StudentsT{Mu, Sigma, Nu}``).

    .. math:: p(x) = \frac{\Gamma(\frac{\nu+1}{2})}{\Gamma(\frac{\nu}{2})\sqrt{\nu\pi}\,
              \sigma} \left(1 + \frac{z^2}{\nu}\right)^{-\frac{\nu+1}{2}},
              \quad z = (x-\mu)/\sigma

    Parameters
    ----------
    mu : float
        Location (finite).
    sigma : float
        Scale (positive, finite).
    nu : float
        Degrees of freedom (positive, finite).

    Notes
    -----
    ``cdf``/``survival`` are ``stdtr(nu, ±z)``, ``quantile`` ``stdtrit``. The mean
    is NaN for nu ≤ 1; the variance is +inf for 1 < nu ≤ 2 and NaN for nu ≤ 1 (as
    Gonum). ``fit`` maximises the likelihood over all three parameters by BFGS
    (a quasi-Newton method) with the analytic score, started from the median and
    the scaled interquartile range, nu = 5.

    References
    ----------
    Gonum, ``stat/distuv/studentst.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import StudentsT
    >>> round(StudentsT(0.0, 1.0, 10.0).quantile(0.975), 10)
    2.2281388520
    """

    __slots__ = ()
    _family = "StudentsT"
    _names = ("mu", "sigma", "nu")

    def __init__(self, mu: float = 0.0, sigma: float = 1.0, nu: float = 1.0) -> None:
        self._init(finite("StudentsT", "mu", mu), positive("StudentsT", "sigma", sigma),
                   positive("StudentsT", "nu", nu))

    @property
    def mu(self) -> float:
        return self._params[0]

    @property
    def sigma(self) -> float:
        return self._params[1]

    @property
    def nu(self) -> float:
        return self._params[2]

    def mean(self) -> float:
        return self.mu if self.nu > 1 else math.nan

    def median(self) -> float:
        return self.mu

    def mode(self) -> float:
        return self.mu

    def variance(self) -> float:
        nu = self.nu
        if nu > 2:
            return self.sigma ** 2 * nu / (nu - 2)
        return math.inf if nu > 1 else math.nan

    def skewness(self) -> float:
        return 0.0 if self.nu > 3 else math.nan

    def ex_kurtosis(self) -> float:
        nu = self.nu
        if nu > 4:
            return 6.0 / (nu - 4)
        return math.inf if nu > 2 else math.nan

    def entropy(self) -> float:
        nu = self.nu
        return float(0.5 * (nu + 1) * (special.digamma(0.5 * (nu + 1)) - special.digamma(0.5 * nu))
                     + 0.5 * math.log(nu) + special.betaln(0.5 * nu, 0.5)
                     + math.log(self.sigma))

    def _sample(self, rng, size):
        return self.mu + self.sigma * rng.standard_t(self.nu, size)

    def _score(self, x):
        mu, sigma, nu = self._params
        z = (x - mu) / sigma
        z2 = z * z
        r = (nu + 1) / (nu + z2)
        d_mu = r * z / sigma
        d_sigma = (r * z2 - 1.0) / sigma
        d_nu = 0.5 * (special.digamma(0.5 * (nu + 1)) - special.digamma(0.5 * nu) - 1.0 / nu
                      - np.log1p(z2 / nu) + r * z2 / nu)
        return d_mu, d_sigma, d_nu

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> StudentsT:
        """Maximum-likelihood fit of mu, sigma and nu (BFGS on the log-likelihood)."""
        x, w = fit_data("StudentsT", x, weights)
        q1, med, q3 = np.quantile(x, [0.25, 0.5, 0.75])
        scale = (q3 - q1) / 1.5 if q3 > q1 else max(float(np.std(x)), 1e-300)
        return maximize_likelihood(cls, x, w, (float(med), float(scale), 5.0),
                                   (False, True, True))
