"""Moments: a streaming, mergeable accumulator of weighted moments up to the 4th.

A data set fed in chunks (``update``), or split across workers whose accumulators are
then merged (``merge``), gives the answer of one call on all the data to rounding
(~1e-13 relative): each chunk is reduced by the same blocked two-pass kernel as
:func:`numkit.stat.mean_variance`, and partials combine with Chan et al.'s and Pébay's
pairwise formulas, with every mean kept relative to one shift so that data with a
large offset keep their digits across merges.
"""

from __future__ import annotations

import math

from numpy.typing import ArrayLike

from numkit._kernels import _moments as _k
from numkit.stat._descriptive import (
    _check_raise,
    _check_sign,
    _ex_kurtosis_from,
    _prepare,
    _ratio,
    _skew_from,
)
from numkit.stat._validate import empty_result

__all__ = ["Moments"]

_NAN = math.nan


class Moments:
    """Streaming weighted moments: count, mean, variance, skew, kurtosis, extremes.

    Attributes are computed from the partial ``(n, mean, M2, M3, M4, min, max)``
    (``Mk`` the weighted sum of ``(x - mean)^k``), so reading them costs nothing.
    Statistics follow Gonum's definitions: ``variance`` divides by ``n - 1``,
    ``skew`` and ``ex_kurtosis`` are the bias-corrected sample values. An empty
    accumulator gives NaN with a RuntimeWarning.

    Notes
    -----
    Merging follows Chan, Golub & LeVeque (1979) for the mean and M2 and Pébay (2008)
    for M3 and M4. The first update fixes a shift (its first finite value); every
    later chunk is reduced relative to it, and a merged accumulator's means are
    converted to it, so the merge subtracts small, exactly represented numbers.

    References
    ----------
    P. Pébay, "Formulas for robust, one-pass parallel computation of covariances and
    arbitrary-order statistical moments", Sandia Report SAND2008-6212 (2008).

    Examples
    --------
    >>> from numkit import stat
    >>> m = stat.Moments()
    >>> m.update([1.0, 2.0, 3.0])
    >>> m.update([4.0, 5.0])
    >>> m.n, m.mean, m.variance, m.min, m.max
    (5.0, 3.0, 2.5, 1.0, 5.0)
    >>> other = stat.Moments()
    >>> other.update([6.0], weights=[2.0])
    >>> m.merge(other)
    >>> m.n, m.mean
    (7.0, 3.857142857142857)
    """

    __slots__ = ("_shift", "_w", "_mean", "_m2", "_m3", "_m4", "_min", "_max")

    def __init__(self) -> None:
        self._shift = _NAN      # NaN until the first update chooses it
        self._w = 0.0
        self._mean = 0.0        # relative to _shift
        self._m2 = 0.0
        self._m3 = 0.0
        self._m4 = 0.0
        self._min = math.inf
        self._max = -math.inf

    def _partial(self) -> tuple[float, float, float, float, float, float, float]:
        return (self._w, self._mean, self._m2, self._m3, self._m4, self._min, self._max)

    def _set(self, p) -> None:
        self._w, self._mean, self._m2, self._m3, self._m4, self._min, self._max = p

    def update(self, x: ArrayLike, weights: ArrayLike | None = None, *,
               nan_policy: str = "propagate") -> None:
        """Add the values ``x`` (with frequency ``weights``) to the accumulator.

        Parameters
        ----------
        x : array_like
            1-D real data (float32 is read directly).
        weights : array_like, optional
            Non-negative frequency weights of the same length as ``x``.
        nan_policy : {"propagate", "omit", "raise"}
            A NaN makes the statistics NaN, is skipped with its weight, or raises
            ValueError (the accumulator is then left unchanged).

        Raises
        ------
        ValueError
            Weights of the wrong length or negative; a bad ``nan_policy``; a NaN
            under ``nan_policy="raise"``.
        TypeError
            Non-numeric data.
        """
        x, w = _prepare(x, weights, nan_policy, "Moments.update", kernel_checks_sign=True)
        if x.shape[0] == 0:
            return
        tw, shift, rel, m2, m3, m4, lo, hi, neg = _k.moments(
            x, w, 4, nan_policy == "omit", self._shift)
        _check_sign(neg, w, x.shape[0], "Moments.update")
        _check_raise(rel + m2 + m4, x, w, nan_policy, "Moments.update")
        self._shift = shift
        self._set(_k.merge(self._partial(), (tw, rel, m2, m3, m4, lo, hi)))

    def merge(self, other: Moments) -> None:
        """Add the data accumulated in ``other`` (left unchanged) to this one.

        Raises
        ------
        TypeError
            ``other`` is not a :class:`Moments`.
        """
        if not isinstance(other, Moments):
            raise TypeError(
                f"Moments.merge: other must be a Moments accumulator; got "
                f"{type(other).__name__}")
        if math.isnan(other._shift):
            return      # other never saw data
        p = other._partial()
        if math.isnan(self._shift):
            self._shift = other._shift
        elif other._shift != self._shift:
            # other's mean relative to our shift: (s_b - s_a) is exact when the shifts
            # are close (Sterbenz), so no digits are lost for offset data
            p = (p[0], (other._shift - self._shift) + p[1]) + p[2:]
        self._set(_k.merge(self._partial(), p))

    def _nonempty(self, op: str) -> bool:
        if self._w == 0.0 and not math.isnan(self._mean):
            empty_result(f"Moments.{op}")
            return False
        return True

    @property
    def n(self) -> float:
        """Total weight (the number of values when unweighted)."""
        return self._w

    @property
    def mean(self) -> float:
        """Weighted mean."""
        return self._shift + self._mean if self._nonempty("mean") else _NAN

    @property
    def variance(self) -> float:
        """Unbiased sample variance ``M2 / (n - 1)``."""
        return _ratio(self._m2, self._w - 1.0) if self._nonempty("variance") else _NAN

    @property
    def std_dev(self) -> float:
        """Sample standard deviation."""
        if not self._nonempty("std_dev"):
            return _NAN
        v = _ratio(self._m2, self._w - 1.0)
        return math.sqrt(v) if v >= 0.0 else _NAN

    @property
    def skew(self) -> float:
        """Bias-corrected sample skewness (Gonum's ``Skew``)."""
        return _skew_from(self._w, self._m2, self._m3) if self._nonempty("skew") else _NAN

    @property
    def ex_kurtosis(self) -> float:
        """Bias-corrected sample excess kurtosis (Gonum's ``ExKurtosis``)."""
        if not self._nonempty("ex_kurtosis"):
            return _NAN
        return _ex_kurtosis_from(self._w, self._m2, self._m4)

    @property
    def min(self) -> float:
        """Least value seen (values with zero weight do not count)."""
        return self._min if self._nonempty("min") else _NAN

    @property
    def max(self) -> float:
        """Greatest value seen (values with zero weight do not count)."""
        return self._max if self._nonempty("max") else _NAN

    def __repr__(self) -> str:
        if self._w == 0.0:
            return "Moments(n=0)"
        return (f"Moments(n={self._w:g}, mean={self._shift + self._mean:g}, "
                f"variance={_ratio(self._m2, self._w - 1.0):g})")
