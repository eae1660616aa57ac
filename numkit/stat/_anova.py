"""One-way analysis of variance, accurate on data with many constant leading digits.

Every group's mean and central sum of squares come from the moments kernel (a
cache-blocked two-pass on data shifted by a representative value), and all groups
are shifted by the *same* value, so the group means are carried relative to it: the
between-group sum of squares is formed from differences that lost nothing to the
leading digits. A textbook ``Σy² - (Σy)²/n`` loses every digit on NIST's SmLs07-09.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.special as sc
from numpy.typing import ArrayLike

from numkit._kernels import _moments
from numkit.stat._validate import as_data, check_nan_policy, raise_on_nan

__all__ = ["AnovaResult", "anova_oneway"]


@dataclass(frozen=True)
class AnovaResult:
    """The table of :func:`anova_oneway`.

    ``statistic`` is F = ms_between / ms_within with ``df = (df_between,
    df_within)`` degrees of freedom and ``pvalue`` its upper tail;
    ``r_squared = ss_between / (ss_between + ss_within)`` and
    ``residual_std = sqrt(ms_within)``.
    """

    statistic: float
    pvalue: float
    df_between: float
    df_within: float
    ss_between: float
    ss_within: float
    ms_between: float
    ms_within: float
    r_squared: float
    residual_std: float

    @property
    def df(self) -> tuple[float, float]:
        """``(df_between, df_within)``, the F distribution's degrees of freedom."""
        return (self.df_between, self.df_within)


def anova_oneway(*groups: ArrayLike, nan_policy: str = "propagate") -> AnovaResult:
    """One-way ANOVA of two or more groups of observations.

    Parameters
    ----------
    *groups : array_like
        Two or more 1-D samples, one per group (treatment).
    nan_policy : {"propagate", "omit", "raise"}
        A NaN makes every field NaN, is dropped from its group, or raises.

    Returns
    -------
    AnovaResult
        ``statistic`` (F), ``pvalue``, ``df_between, df_within, ss_between,
        ss_within, ms_between, ms_within, r_squared, residual_std``.

    Raises
    ------
    ValueError
        Fewer than two groups, an empty group (after omitting NaN), no degrees
        of freedom within groups (every group of size one), a bad
        ``nan_policy`` or a NaN under ``nan_policy="raise"``.

    Notes
    -----
    With group sizes ``n_i``, means ``m_i`` and the grand mean ``M``:
    ``ss_within = Σ_i Σ_j (y_ij - m_i)²``, ``ss_between = Σ_i n_i (m_i - M)²``.
    Each group is reduced by one call of the moments kernel with a common shift
    ``c`` (the first value of the first group), so ``m_i - c`` and ``M - c`` are
    known to full relative precision; ``pvalue`` is ``scipy.special.fdtrc``.
    When all groups are constant and equal, F is NaN (0/0) and so is the p-value;
    when only the within-group variation is zero, F is inf and the p-value 0.

    References
    ----------
    Chan, T. F., Golub, G. H. and LeVeque, R. J. (1983). Algorithms for computing
    the sample variance: analysis and recommendations. Am. Stat. 37(3).
    NIST StRD, one-way ANOVA sets (SiRstv, SmLs01-09, AtmWtAg).

    Examples
    --------
    >>> from numkit.stat import anova_oneway
    >>> res = anova_oneway([1.0, 2.0, 3.0], [2.0, 3.0, 4.0], [5.0, 6.0, 7.0])
    >>> float(res.ss_between), float(res.ss_within), res.df
    (26.0, 6.0, (2.0, 6.0))
    >>> float(res.statistic)
    13.0
    """
    op = "anova_oneway"
    check_nan_policy(nan_policy, op)
    if len(groups) < 2:
        raise ValueError(f"stat.{op}: needs at least two groups; got {len(groups)}")
    data = [as_data(g, op, f"groups[{i}]") for i, g in enumerate(groups)]
    omit = nan_policy == "omit"
    shift = math.nan
    for g in data:  # the common shift: a representative value of the data
        finite = g[np.isfinite(g)] if g.size else g
        if finite.size:
            shift = float(finite[0])
            break
    if shift != shift:
        shift = 0.0

    counts = np.empty(len(data))
    rel_means = np.empty(len(data))
    ss_within = 0.0
    for i, g in enumerate(data):
        if g.size == 0:
            raise ValueError(f"stat.{op}: groups[{i}] is empty")
        tw, _, rel, m2, *_ = _moments.moments(g, None, 2, omit, shift)
        if tw == 0.0 and rel == rel:
            raise ValueError(f"stat.{op}: groups[{i}] has no values once NaN are omitted")
        if nan_policy == "raise" and (rel != rel or m2 != m2):
            raise_on_nan(g, op, f"groups[{i}]")
        counts[i] = tw
        rel_means[i] = rel
        ss_within += m2

    k = len(data)
    total = float(counts.sum())
    df_between = float(k - 1)
    df_within = total - k
    if df_within <= 0:
        raise ValueError(f"stat.{op}: no degrees of freedom within groups ({int(total)} "
                         f"observations in {k} groups); every group has one value")
    grand = float(np.dot(counts, rel_means)) / total
    dev = rel_means - grand
    ss_between = float(np.dot(counts, dev * dev))
    ms_between = ss_between / df_between
    ms_within = ss_within / df_within
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.float64(ms_between) / np.float64(ms_within)
        r_squared = np.float64(ss_between) / np.float64(ss_between + ss_within)
    pvalue = float(sc.fdtrc(df_between, df_within, f))
    return AnovaResult(float(f), pvalue, df_between, df_within, ss_between, ss_within,
                       ms_between, ms_within, float(r_squared), math.sqrt(ms_within)
                       if ms_within == ms_within else math.nan)
