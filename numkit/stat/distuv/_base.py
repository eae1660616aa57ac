"""The shared base of numkit.stat.distuv's distributions, and their input checks.

:class:`Univariate` subclasses the kernel's ``UnivariateCore`` (which holds the
parameters in C and evaluates ``prob, log_prob, cdf, survival, quantile``) and adds
what every distribution shares: ``std_dev, median, rand, score, num_parameters``,
equality, ``repr`` and pickling. Parameters are validated here, once, in the
constructor; the kernel trusts them.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
from scipy import optimize

from numkit._kernels._distuv import KIND, UnivariateCore

__all__ = ["Univariate"]

RngLike = np.random.Generator | int | np.random.SeedSequence | None


def real(dist: str, name: str, value: Any) -> float:
    """``value`` as a float, or TypeError naming the distribution and the parameter."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{dist}: {name} must be a real number; got {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{dist}: {name} must be a real number; got {value!r}") from None


def finite(dist: str, name: str, value: Any) -> float:
    v = real(dist, name, value)
    if not math.isfinite(v):
        raise ValueError(f"{dist}: {name} must be finite; got {v!r}")
    return v


def positive(dist: str, name: str, value: Any) -> float:
    v = real(dist, name, value)
    if not (v > 0 and math.isfinite(v)):
        raise ValueError(f"{dist}: {name} must be positive and finite; got {v!r}")
    return v


def probability(dist: str, name: str, value: Any) -> float:
    v = real(dist, name, value)
    if not 0 <= v <= 1:
        raise ValueError(f"{dist}: {name} must be a probability in [0, 1]; got {v!r}")
    return v


def generator(rng: RngLike) -> np.random.Generator:
    """A numpy Generator from ``rng`` (a Generator is used as is; never global state)."""
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def fit_data(dist: str, x: npt.ArrayLike, weights: npt.ArrayLike | None,
             *, low: float = -math.inf, low_open: bool = False,
             high: float = math.inf, high_open: bool = False,
             ) -> tuple[np.ndarray, np.ndarray]:
    """Validated 1-D float64 samples and non-negative weights (ones when None).

    Samples outside the support [low, high] (open ends where flagged) raise
    ValueError: their likelihood is zero for every parameter value.
    """
    op = f"{dist}.fit"
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{op}: x must be 1-D; got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{op}: x is empty; at least one sample is needed")
    if not np.isfinite(arr).all():
        raise ValueError(f"{op}: x contains NaN or infinity (first at index "
                         f"{int(np.flatnonzero(~np.isfinite(arr))[0])})")
    below = arr <= low if low_open else arr < low
    above = arr >= high if high_open else arr > high
    outside = below | above
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        lo = "(" if low_open else "["
        hi = ")" if high_open else "]"
        raise ValueError(f"{op}: x[{i}] = {float(arr[i])!r} is outside the support "
                         f"{lo}{low}, {high}{hi}")
    if weights is None:
        return arr, np.ones_like(arr)
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != arr.shape:
        raise ValueError(f"The 'weights' parameter of {op} must be a 1-D array of the same "
                         f"length as x ({arr.size}); got shape {w.shape}.")
    if not (np.isfinite(w).all() and (w >= 0).all()):
        raise ValueError(f"{op}: weights must be finite and non-negative")
    if not w.sum() > 0:
        raise ValueError(f"{op}: weights sum to zero")
    return arr, w


def weighted_mean(x: np.ndarray, w: np.ndarray) -> float:
    return float(np.dot(w, x) / w.sum())


def weighted_median(x: np.ndarray, w: np.ndarray) -> float:
    """The lower weighted median: smallest x with cumulative weight ≥ half the total."""
    order = np.argsort(x, kind="stable")
    cw = np.cumsum(w[order])
    return float(x[order][np.searchsorted(cw, 0.5 * cw[-1])])


def maximize_likelihood(cls: type[Univariate], x: np.ndarray, w: np.ndarray,
                        start: tuple[float, ...], log_scaled: tuple[bool, ...]) -> Univariate:
    """Maximum likelihood by BFGS on the mean weighted log-likelihood, with the
    gradient from ``score``; parameters flagged in ``log_scaled`` are optimised on a
    log scale so they stay positive."""
    flags = np.array(log_scaled)
    wn = w / w.sum()

    def params(theta):
        return tuple(np.where(flags, np.exp(np.clip(theta, -700, 700)), theta).tolist())

    def objective(theta):
        try:
            d = cls(*params(theta))
        except ValueError:
            return math.inf, np.zeros_like(theta)
        value = -float(np.dot(wn, d.log_prob(x)))
        grad = -(wn @ d.score(x)) * np.where(flags, np.array(d._params), 1.0)
        if not math.isfinite(value):
            return math.inf, np.zeros_like(theta)
        return value, grad

    theta0 = np.where(flags, np.log(np.array(start)), np.array(start))
    result = optimize.minimize(objective, theta0, jac=True, method="BFGS",
                               options={"gtol": 1e-10, "maxiter": 500})
    return cls(*params(result.x))


class Univariate(UnivariateCore):
    """Base of the univariate distributions (see the package docstring)."""

    __slots__ = ()
    _names: ClassVar[tuple[str, ...]] = ()

    _family: ClassVar[str] = ""

    def _init(self, *params: float) -> None:
        self._setup(KIND[self._family], params)

    def __repr__(self) -> str:
        args = ", ".join(f"{n}={v!r}" for n, v in zip(self._names, self._params, strict=True))
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._params == other._params

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._params))

    def __reduce__(self):
        return (type(self), self._params)

    def num_parameters(self) -> int:
        """Number of parameters of the distribution (Gonum's ``NumParameters``)."""
        return len(self._names)

    def std_dev(self) -> float:
        """Standard deviation, the square root of ``variance()``."""
        return math.sqrt(self.variance())

    def median(self) -> float:
        """Median: ``quantile(0.5)`` unless the family has a closed form."""
        return self.quantile(0.5)

    def rand(self, size: int | tuple[int, ...] | None = None,
             rng: RngLike = None) -> float | np.ndarray:
        """Random variates: a float when ``size`` is None, else a float64 ndarray.

        ``rng`` is a ``numpy.random.Generator`` (used as is) or a seed for
        ``numpy.random.default_rng``; global random state is never touched.
        """
        out = self._sample(generator(rng), size)
        if size is None:
            return float(out)
        return np.asarray(out, dtype=np.float64)

    def score(self, x: npt.ArrayLike) -> np.ndarray:
        """Gradient of ``log_prob(x)`` with respect to the parameters (Gonum's ``Score``).

        Returns an array of shape ``np.shape(x) + (num_parameters(),)``, the columns in
        the order of the constructor's parameters; NaN where ``x`` is outside the
        support or the derivative does not exist.
        """
        arr = np.asarray(x, dtype=np.float64)
        with np.errstate(all="ignore"):
            columns = self._score(arr)
        return np.stack([np.broadcast_to(c, arr.shape) for c in columns], axis=-1)

    # Per family:
    def _sample(self, rng: np.random.Generator, size):  # pragma: no cover - abstract
        raise NotImplementedError

    def _score(self, x: np.ndarray) -> tuple[np.ndarray, ...]:
        raise NotImplementedError(f"{type(self).__name__}.score is not available")

    def variance(self) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

