"""Poisson, Binomial, Bernoulli and Categorical distributions.

Values are floats, as in Gonum: ``prob`` of a non-integer is 0, ``cdf(x)`` is
P(X ≤ floor(x)), and ``quantile(p)`` is the smallest integer k with cdf(k) ≥ p
(Gonum has no discrete quantile). ``rand`` returns floats.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy import special

from numkit.stat.distuv._base import (
    RngLike,
    Univariate,
    fit_data,
    generator,
    positive,
    probability,
    real,
    weighted_mean,
)

__all__ = ["Bernoulli", "Binomial", "Categorical", "Poisson"]

# Above this many terms the entropy uses its asymptotic series instead of a sum.
_ENTROPY_SUM_LIMIT = 10_000_000


def _pmf_entropy(pmf: np.ndarray) -> float:
    return float(-np.sum(special.xlogy(pmf, pmf)))


class Poisson(Univariate):
    r"""Poisson distribution with mean ``lambda_``: P(k) = λᵏ e^(−λ) / k!.

    Parameters
    ----------
    lambda_ : float
        Mean (positive, finite).

    Notes
    -----
    ``cdf(k)`` is ``gammaincc(k + 1, λ)`` and ``survival(k)`` ``gammainc(k + 1, λ)``
    (each accurate in its tail). ``quantile(p)`` starts at the Cornish–Fisher
    approximation and steps to the smallest k with cdf(k) ≥ p (comparing survival
    with 1 − p above p = 1/2); ``quantile(1)`` is +inf. The entropy is the sum
    −Σ p log p over the support where it matters, or the asymptotic series
    ½ log(2πeλ) − 1/(12λ) − 1/(24λ²) − 19/(360λ³) for huge λ. ``fit`` is the
    closed-form MLE, the weighted mean.

    References
    ----------
    Gonum, ``stat/distuv/poisson.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import Poisson
    >>> d = Poisson(2.5)
    >>> d.quantile(0.5), d.quantile(0.99), round(d.cdf(3.0), 12)
    (2.0, 7.0, 0.757576133133)
    """

    __slots__ = ()
    _family = "Poisson"
    _names = ("lambda_",)

    def __init__(self, lambda_: float = 1.0) -> None:
        self._init(positive("Poisson", "lambda_", lambda_))

    @property
    def lambda_(self) -> float:
        return self._params[0]

    def mean(self) -> float:
        return self.lambda_

    def mode(self) -> float:
        return float(math.floor(self.lambda_))

    def variance(self) -> float:
        return self.lambda_

    def skewness(self) -> float:
        return 1.0 / math.sqrt(self.lambda_)

    def ex_kurtosis(self) -> float:
        return 1.0 / self.lambda_

    def entropy(self) -> float:
        lam = self.lambda_
        # Beyond λ + 40√λ + 40 the mass is below 1e-300 (Chernoff bound).
        hi = lam + 40.0 * math.sqrt(lam) + 40.0
        if hi <= _ENTROPY_SUM_LIMIT:
            k = np.arange(0.0, math.ceil(hi))
            return _pmf_entropy(self.prob(k))
        return (0.5 * math.log(2 * math.pi * math.e * lam) - 1 / (12 * lam)
                - 1 / (24 * lam ** 2) - 19 / (360 * lam ** 3))

    def _sample(self, rng, size):
        return rng.poisson(self.lambda_, size)

    def _score(self, x):
        inside = (x >= 0) & (x == np.floor(x))
        return (np.where(inside, x / self.lambda_ - 1.0, np.nan),)

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> Poisson:
        """Maximum-likelihood fit (closed form): the weighted mean; x ≥ 0 integers."""
        x, w = fit_data("Poisson", x, weights, low=0.0)
        _check_integers("Poisson.fit", x)
        m = weighted_mean(x, w)
        if m == 0:
            raise ValueError("Poisson.fit: all samples are 0, so lambda_ would be 0")
        return cls(m)


def _check_integers(op: str, x: np.ndarray) -> None:
    bad = x != np.floor(x)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{op}: x[{i}] = {float(x[i])!r} is not an integer count")


class Binomial(Univariate):
    r"""Binomial distribution: successes in ``n`` trials of probability ``p``.

    Parameters
    ----------
    n : float
        Number of trials (a non-negative integer value).
    p : float
        Success probability in [0, 1].

    Notes
    -----
    ``cdf(k)`` is I₁₋ₚ(n − k, k + 1) and ``survival(k)`` Iₚ(k + 1, n − k) (regularised
    incomplete beta functions, each computed directly). ``quantile`` as Poisson's.
    ``fit`` needs ``n`` (the MLE of p for known n, p = x̄ / n).

    References
    ----------
    Gonum, ``stat/distuv/binomial.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import Binomial
    >>> d = Binomial(10, 0.5)
    >>> d.mean(), round(d.prob(5.0), 12), d.quantile(0.5)
    (5.0, 0.24609375, 5.0)
    """

    __slots__ = ()
    _family = "Binomial"
    _names = ("n", "p")

    def __init__(self, n: float = 1.0, p: float = 0.5) -> None:
        trials = real("Binomial", "n", n)
        if not (trials >= 0 and math.isfinite(trials) and trials == math.floor(trials)):
            raise ValueError(f"Binomial: n must be a non-negative integer; got {n!r}")
        self._init(trials, probability("Binomial", "p", p))

    @property
    def n(self) -> float:
        return self._params[0]

    @property
    def p(self) -> float:
        return self._params[1]

    def mean(self) -> float:
        return self.n * self.p

    def mode(self) -> float:
        return float(min(math.floor((self.n + 1) * self.p), self.n))

    def variance(self) -> float:
        return self.n * self.p * (1.0 - self.p)

    def skewness(self) -> float:
        return (1.0 - 2.0 * self.p) / math.sqrt(self.variance())

    def ex_kurtosis(self) -> float:
        pq = self.p * (1.0 - self.p)
        return (1.0 - 6.0 * pq) / (self.n * pq)

    def entropy(self) -> float:
        if self.n <= _ENTROPY_SUM_LIMIT:
            return _pmf_entropy(self.prob(np.arange(0.0, self.n + 1.0)))
        # Normal approximation; its error is O(1/n).
        return 0.5 * math.log(2 * math.pi * math.e * self.variance())

    def _sample(self, rng, size):
        return rng.binomial(int(self.n), self.p, size)

    def _score(self, x):
        raise NotImplementedError("Binomial.score is not available: n is an integer "
                                  "parameter, so the log-probability has no gradient in it")

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None, *,
            n: float | None = None) -> Binomial:
        """Maximum-likelihood fit of p for a known number of trials ``n`` (keyword)."""
        if n is None:
            raise ValueError("Binomial.fit: pass the number of trials n=; only p is fitted")
        d = cls(n, 0.5)
        x, w = fit_data("Binomial", x, weights, low=0.0, high=d.n)
        _check_integers("Binomial.fit", x)
        return cls(d.n, weighted_mean(x, w) / d.n if d.n > 0 else 0.5)


class Bernoulli(Univariate):
    """Bernoulli distribution: 1 with probability ``p``, 0 otherwise.

    Parameters
    ----------
    p : float
        Probability of 1, in [0, 1].

    Notes
    -----
    The mode is 1 if p > 1/2, else 0. ``fit`` is the MLE, the weighted mean of
    samples in {0, 1}.

    References
    ----------
    Gonum, ``stat/distuv/bernoulli.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import Bernoulli
    >>> d = Bernoulli(0.25)
    >>> d.prob(1.0), d.cdf(0.0), d.quantile(0.8)
    (0.25, 0.75, 1.0)
    """

    __slots__ = ()
    _family = "Bernoulli"
    _names = ("p",)

    def __init__(self, p: float = 0.5) -> None:
        self._init(probability("Bernoulli", "p", p))

    @property
    def p(self) -> float:
        return self._params[0]

    def mean(self) -> float:
        return self.p

    def mode(self) -> float:
        return 1.0 if self.p > 0.5 else 0.0

    def variance(self) -> float:
        return self.p * (1.0 - self.p)

    def skewness(self) -> float:
        return (1.0 - 2.0 * self.p) / math.sqrt(self.variance())

    def ex_kurtosis(self) -> float:
        pq = self.variance()
        return (1.0 - 6.0 * pq) / pq

    def entropy(self) -> float:
        p = self.p
        return float(-special.xlogy(p, p) - special.xlog1py(1.0 - p, -p))

    def _sample(self, rng, size):
        return (rng.random(size) < self.p).astype(np.float64)

    def _score(self, x):
        p = self.p
        return (np.where(x == 1, 1.0 / p, np.where(x == 0, -1.0 / (1.0 - p), np.nan)),)

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> Bernoulli:
        """Maximum-likelihood fit (closed form): the weighted mean of 0/1 samples."""
        x, w = fit_data("Bernoulli", x, weights, low=0.0, high=1.0)
        _check_integers("Bernoulli.fit", x)
        return cls(weighted_mean(x, w))


class Categorical:
    """Categorical distribution over 0, 1, …, len(weights) − 1 with probabilities
    proportional to ``weights`` (Gonum's ``NewCategorical``).

    Parameters
    ----------
    weights : array_like
        Non-negative finite weights, not all zero; normalised to probabilities.

    Notes
    -----
    Evaluated in numpy (the distribution is a table, not a formula): ``prob`` by
    indexing, ``cdf`` and ``quantile`` by the cumulative sum (``quantile(p)`` is the
    smallest category k with cdf(k) ≥ p). ``num_parameters`` is the number of
    categories. ``score`` is not available (Gonum has none). ``fit`` is the MLE,
    the weighted category frequencies.

    References
    ----------
    Gonum, ``stat/distuv/categorical.go``.

    Examples
    --------
    >>> from numkit.stat.distuv import Categorical
    >>> d = Categorical([1.0, 2.0, 1.0])
    >>> d.prob(1.0), d.mean(), d.quantile(0.3)
    (0.5, 1.0, 1.0)
    """

    __slots__ = ("_p", "_cdf")

    def __init__(self, weights: npt.ArrayLike) -> None:
        w = np.array(weights, dtype=np.float64)
        if w.ndim != 1 or w.size == 0:
            raise ValueError(f"Categorical: weights must be a non-empty 1-D array; got shape "
                             f"{w.shape}")
        if not (np.isfinite(w).all() and (w >= 0).all()):
            raise ValueError("Categorical: weights must be finite and non-negative")
        total = w.sum()
        if not total > 0:
            raise ValueError("Categorical: weights sum to zero")
        self._p = w / total
        self._p.flags.writeable = False
        self._cdf = np.minimum(np.cumsum(self._p), 1.0)
        self._cdf[-1] = 1.0

    @property
    def weights(self) -> np.ndarray:
        """The normalised probabilities (read-only)."""
        return self._p

    def __repr__(self) -> str:
        return f"Categorical({self._p.tolist()!r})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return np.array_equal(self._p, other._p)

    def __hash__(self) -> int:
        return hash(self._p.tobytes())

    def __reduce__(self):
        return (type(self), (self._p.copy(),))

    @staticmethod
    def _result(arr: np.ndarray, out: np.ndarray):
        return float(out) if arr.ndim == 0 else out

    def prob(self, x: npt.ArrayLike):
        arr = np.asarray(x, dtype=np.float64)
        k = np.nan_to_num(arr, nan=-1.0, posinf=-1.0, neginf=-1.0)
        valid = (k >= 0) & (k < self._p.size) & (k == np.floor(k))
        out = np.where(valid, self._p[np.where(valid, k, 0).astype(np.intp)], 0.0)
        out = np.where(np.isnan(arr), np.nan, out)
        return self._result(arr, out)

    def log_prob(self, x: npt.ArrayLike):
        with np.errstate(divide="ignore"):
            return self._result(np.asarray(x), np.log(self.prob(x)))

    def cdf(self, x: npt.ArrayLike):
        arr = np.asarray(x, dtype=np.float64)
        k = np.floor(np.clip(np.nan_to_num(arr, nan=-1.0), -1.0, self._p.size - 1.0))
        out = np.where(k < 0, 0.0, self._cdf[np.maximum(k, 0).astype(np.intp)])
        out = np.where(np.isnan(arr), np.nan, out)
        return self._result(arr, out)

    def survival(self, x: npt.ArrayLike):
        arr = np.asarray(x, dtype=np.float64)
        k = np.floor(np.clip(np.nan_to_num(arr, nan=-1.0), -1.0, self._p.size - 1.0))
        tail = np.concatenate((np.cumsum(self._p[::-1])[::-1][1:], [0.0]))
        out = np.where(k < 0, 1.0, tail[np.maximum(k, 0).astype(np.intp)])
        out = np.where(np.isnan(arr), np.nan, out)
        return self._result(arr, out)

    def quantile(self, p: npt.ArrayLike):
        arr = np.asarray(p, dtype=np.float64)
        inside = (arr >= 0) & (arr <= 1)
        k = np.searchsorted(self._cdf, np.where(inside, arr, 0.0), side="left")
        out = np.where(inside, np.minimum(k, self._p.size - 1).astype(np.float64), np.nan)
        return self._result(arr, out)

    def rand(self, size: int | tuple[int, ...] | None = None,
             rng: RngLike = None) -> float | np.ndarray:
        """Random categories (as floats); ``rng`` a Generator or a seed."""
        out = generator(rng).choice(self._p.size, size=size, p=self._p)
        return float(out) if size is None else np.asarray(out, dtype=np.float64)

    def _raw(self, power: int) -> float:
        return float(np.dot(self._p, np.arange(self._p.size, dtype=np.float64) ** power))

    def _central(self, power: int) -> float:
        k = np.arange(self._p.size, dtype=np.float64) - self.mean()
        return float(np.dot(self._p, k ** power))

    def mean(self) -> float:
        return self._raw(1)

    def median(self) -> float:
        return self.quantile(0.5)

    def mode(self) -> float:
        return float(np.argmax(self._p))

    def variance(self) -> float:
        return self._central(2)

    def std_dev(self) -> float:
        return math.sqrt(self.variance())

    def skewness(self) -> float:
        return self._central(3) / self.variance() ** 1.5

    def ex_kurtosis(self) -> float:
        return self._central(4) / self.variance() ** 2 - 3.0

    def entropy(self) -> float:
        return _pmf_entropy(self._p)

    def num_parameters(self) -> int:
        return int(self._p.size)

    def score(self, x: npt.ArrayLike) -> np.ndarray:
        raise NotImplementedError("Categorical.score is not available (Gonum has none)")

    @classmethod
    def fit(cls, x: npt.ArrayLike, weights: npt.ArrayLike | None = None, *,
            n_categories: int | None = None) -> Categorical:
        """Maximum-likelihood fit: weighted frequencies of the categories 0, 1, …
        (``n_categories`` defaults to max(x) + 1)."""
        x, w = fit_data("Categorical", x, weights, low=0.0)
        _check_integers("Categorical.fit", x)
        size = int(x.max()) + 1 if n_categories is None else int(n_categories)
        if size <= x.max():
            raise ValueError(f"Categorical.fit: n_categories={n_categories} but x holds "
                             f"category {int(x.max())}")
        return cls(np.bincount(x.astype(np.intp), weights=w, minlength=size))
