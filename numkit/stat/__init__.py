"""numkit.stat: statistics in the style of Gonum's ``stat`` package.

Conventions
-----------
Functions follow Gonum's semantics with Python's argument order: the data first,
then parameters, then the keywords ``weights=None`` and ``nan_policy="propagate"``.
Any real array-like is accepted; float32 is read directly and integers are
converted, and every sum is accumulated in float64 (no integer overflow).

Weights are *frequency* weights, as in Gonum: integer weights give the same answer
as repeating each value that many times, so the sample variance divides by
Σw − 1. Weights must be non-negative and of the data's length.

``nan_policy`` is ``"propagate"`` (NaN in, NaN out: Gonum's behaviour),
``"omit"`` (skip NaN values and their weights, inside the kernel, without a masked
copy) or ``"raise"`` (a ValueError naming the first NaN's index). Empty input —
or input whose every value was omitted — gives NaN with a RuntimeWarning, as numpy
does.

Kernels
-------
Moments are computed in one read of memory by a cache-blocked two-pass on data
shifted by a representative value, blocks merged with Chan et al.'s and Pébay's
formulas; quantiles of several probabilities by histogram narrowing in O(n)
without copying the data; histograms in O(1) per value for uniform bins. Parallel
reductions combine a fixed number of chunks in a fixed order, so the result does
not depend on the thread count. :class:`Moments` is the mergeable accumulator the
same kernels feed: a data set streamed in chunks, or split across workers and
merged, gives the answer of one call.

Distributions
-------------
:mod:`numkit.stat.distuv` holds Gonum's univariate distributions (``Normal``,
``Gamma``, ``StudentsT``, ``Poisson``, …) with a scalar path that costs well under a
microsecond; :mod:`numkit.stat.distmv` the multivariate ones (``Normal`` and
``StudentsT`` on numkit's Cholesky, ``Dirichlet``, ``Uniform``) and the closed-form
divergences between them.

Dask
----
``mean, variance, std_dev, mean_variance, skew, ex_kurtosis, moment, histogram,
covariance_matrix, correlation_matrix, covariance, correlation, quantile`` and
``median`` also accept a ``dask.array.Array`` (data or weights, chunked along the rows)
and return the :mod:`numkit.dask` result: the same answer, computed block by block by
the same kernels and merged in a tree of tasks, without gathering the data. The check
is a dictionary lookup, and dask is never imported for other input.

Accuracy
--------
``tests/stat/test_nist.py`` scores the NIST StRD univariate sets. NIST certifies the
statistics of the *decimal* data; once read as float64 some sets (NumAcc3/4,
Mavro, Michelso) no longer have those statistics exactly, so numkit is scored both
against the certified values and against the exact (``fractions.Fraction``)
statistics of the float64 data it was given.
"""

from numkit.stat import distmv, distuv
from numkit.stat._accumulator import Moments
from numkit.stat._anova import AnovaResult, anova_oneway
from numkit.stat._covariance import (
    CovarianceAccumulator,
    corr_to_cov,
    correlation_matrix,
    cov_to_corr,
    covariance_matrix,
    mahalanobis,
)
from numkit.stat._descriptive import (
    autocorrelation,
    circular_mean,
    ex_kurtosis,
    geometric_mean,
    harmonic_mean,
    mean,
    mean_std_dev,
    mean_variance,
    moment,
    moment_about,
    pop_mean_std_dev,
    pop_mean_variance,
    pop_std_dev,
    pop_variance,
    skew,
    std_dev,
    std_err,
    std_score,
    variance,
)
from numkit.stat._dispatch import dask_dispatch
from numkit.stat._divergence import (
    bhattacharyya,
    cross_entropy,
    entropy,
    hellinger,
    jensen_shannon,
    kullback_leibler,
)
from numkit.stat._histogram import histogram
from numkit.stat._multivariate import CC, PC
from numkit.stat._ols import OLSResult, ols
from numkit.stat._order import cdf, median, mode, quantile
from numkit.stat._pairs import (
    bivariate_moment,
    correlation,
    covariance,
    kendall,
    linear_regression,
    r_nought_squared,
    r_squared,
    r_squared_from,
    roc,
    spearman,
    toc,
)
from numkit.stat._tests import (
    TestResult,
    chi_square,
    correlation_test,
    kolmogorov_smirnov,
    t_test,
)

# Dask arrays given to these go to numkit.dask (one dict lookup for any other input).
mean = dask_dispatch(mean)
variance = dask_dispatch(variance)
std_dev = dask_dispatch(std_dev)
mean_variance = dask_dispatch(mean_variance)
skew = dask_dispatch(skew)
ex_kurtosis = dask_dispatch(ex_kurtosis)
moment = dask_dispatch(moment)
histogram = dask_dispatch(histogram)
covariance_matrix = dask_dispatch(covariance_matrix)
correlation_matrix = dask_dispatch(correlation_matrix)
covariance = dask_dispatch(covariance)
correlation = dask_dispatch(correlation)
quantile = dask_dispatch(quantile)
median = dask_dispatch(median)

__all__ = [
    "AnovaResult",
    "CC",
    "CovarianceAccumulator",
    "Moments",
    "OLSResult",
    "PC",
    "TestResult",
    "anova_oneway",
    "autocorrelation",
    "bhattacharyya",
    "bivariate_moment",
    "cdf",
    "chi_square",
    "circular_mean",
    "corr_to_cov",
    "correlation",
    "correlation_matrix",
    "correlation_test",
    "cov_to_corr",
    "covariance",
    "covariance_matrix",
    "cross_entropy",
    "distmv",
    "distuv",
    "entropy",
    "ex_kurtosis",
    "geometric_mean",
    "harmonic_mean",
    "hellinger",
    "histogram",
    "jensen_shannon",
    "kendall",
    "kolmogorov_smirnov",
    "kullback_leibler",
    "linear_regression",
    "mahalanobis",
    "mean",
    "mean_std_dev",
    "mean_variance",
    "median",
    "mode",
    "moment",
    "moment_about",
    "ols",
    "pop_mean_std_dev",
    "pop_mean_variance",
    "pop_std_dev",
    "pop_variance",
    "quantile",
    "r_nought_squared",
    "r_squared",
    "r_squared_from",
    "roc",
    "skew",
    "spearman",
    "std_dev",
    "std_err",
    "std_score",
    "t_test",
    "toc",
    "variance",
]
