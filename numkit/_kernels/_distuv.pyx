"""Scalar and elementwise evaluation of numkit.stat.distuv's distributions.

``UnivariateCore`` holds a distribution's kind and its parameters (plus constants
derived from them once, in ``_setup``) in C. Its ``prob, log_prob, cdf, survival,
quantile`` methods take a Python float or int straight to a ``noexcept nogil`` C
function calling ``scipy.special.cython_special`` (about 100 ns a call, no array
conversion, no validation); anything else goes through ``np.asarray`` to a loop over
the same C functions, so the scalar and the array path give the same bits. The
Python classes in ``numkit.stat.distuv`` subclass it and validate parameters in
their constructors; this module trusts what ``_setup`` is given and never raises on
data (out-of-range probabilities give NaN).
"""

from libc.math cimport (
    INFINITY, NAN, exp, expm1, fabs, floor, isnan, log, log1p, pow, sqrt,
)
from scipy.special cimport cython_special as sc
from cython.parallel cimport prange

from numkit._kernels._openmp cimport threads_for

import numpy as np

# Kinds, one per family with its own formulas (ChiSquared is a Gamma).
cdef enum:
    NORMAL = 0
    LOGNORMAL = 1
    UNIFORM = 2
    EXPONENTIAL = 3
    GAMMA = 4
    BETA = 5
    STUDENTST = 6
    FISHER = 7
    WEIBULL = 8
    LAPLACE = 9
    LOGISTIC = 10
    PARETO = 11
    TRIANGLE = 12
    GUMBEL = 13
    INVERSEGAMMA = 14
    POISSON = 15
    BINOMIAL = 16
    BERNOULLI = 17
    CHISQUARED = 18  # stored as Gamma(k/2, 1/2)
    N_KINDS = 19

KIND = {
    "Normal": NORMAL, "LogNormal": LOGNORMAL, "Uniform": UNIFORM,
    "Exponential": EXPONENTIAL, "Gamma": GAMMA, "Beta": BETA, "StudentsT": STUDENTST,
    "F": FISHER, "Weibull": WEIBULL, "Laplace": LAPLACE, "Logistic": LOGISTIC,
    "Pareto": PARETO, "Triangle": TRIANGLE, "Gumbel": GUMBEL,
    "InverseGamma": INVERSEGAMMA, "Poisson": POISSON, "Binomial": BINOMIAL,
    "Bernoulli": BERNOULLI, "ChiSquared": CHISQUARED,
}

cdef enum:
    OP_PROB = 0
    OP_LOG_PROB = 1
    OP_CDF = 2
    OP_SURVIVAL = 3
    OP_QUANTILE = 4

cdef double HALF_LOG_2PI = 0.91893853320467274178  # log(2π)/2
cdef double LOG_PI = 1.14472988584940017414

# Parameter layout: p[0..2] the family's parameters in Gonum's order, p[3..] constants.


cdef inline bint is_integer(double x) noexcept nogil:
    return floor(x) == x


cdef double log_prob_of(int kind, const double* p, double x) noexcept nogil:
    cdef double z, u, t, k
    if isnan(x):
        return NAN
    if kind == NORMAL:
        z = (x - p[0]) / p[1]
        return -0.5 * z * z - p[3]
    elif kind == LOGNORMAL:
        if x <= 0:
            return -INFINITY
        u = log(x)
        z = (u - p[0]) / p[1]
        return -0.5 * z * z - p[3] - u
    elif kind == UNIFORM:
        if x < p[0] or x > p[1]:
            return -INFINITY
        return p[4]
    elif kind == EXPONENTIAL:
        if x < 0:
            return -INFINITY
        return p[3] - p[0] * x
    elif kind == GAMMA:
        if x < 0:
            return -INFINITY
        if x == 0:
            if p[0] < 1:
                return INFINITY
            return p[3] if p[0] == 1 else -INFINITY
        return sc.xlogy(p[0] - 1.0, x) + p[3] - p[1] * x
    elif kind == BETA:
        if x < 0 or x > 1:
            return -INFINITY
        return sc.xlogy(p[0] - 1.0, x) + sc.xlog1py(p[1] - 1.0, -x) - p[3]
    elif kind == STUDENTST:
        z = fabs(x - p[0]) / p[1]
        if z > 1e100:  # z² would overflow; log1p(z²/ν) = 2 log z − log ν + O(z⁻²)
            return p[3] - 0.5 * (p[2] + 1.0) * (2.0 * log(z) - log(p[2]))
        return p[3] - 0.5 * (p[2] + 1.0) * log1p(z * z / p[2])
    elif kind == FISHER:
        if x < 0:
            return -INFINITY
        if x == 0:
            if p[0] < 2:
                return INFINITY
            return p[3] - 0.5 * (p[0] + p[1]) * log(p[1]) if p[0] == 2 else -INFINITY
        # log(d2 + d1 x) = log(d1) + log(x + d2/d1) keeps large x finite.
        return (p[3] + sc.xlogy(0.5 * p[0] - 1.0, x)
                - 0.5 * (p[0] + p[1]) * (log(p[0]) + log(x + p[1] / p[0])))
    elif kind == WEIBULL:
        if x < 0:
            return -INFINITY
        if x == 0:
            if p[0] < 1:
                return INFINITY
            return p[3] if p[0] == 1 else -INFINITY
        u = log(x / p[1])
        return p[3] + (p[0] - 1.0) * u - exp(p[0] * u)
    elif kind == LAPLACE:
        return p[3] - fabs(x - p[0]) / p[1]
    elif kind == LOGISTIC:
        z = fabs((x - p[0]) / p[1])
        return -z - p[3] - 2.0 * log1p(exp(-z))
    elif kind == PARETO:
        if x < p[0]:
            return -INFINITY
        return p[3] - (p[1] + 1.0) * log(x)
    elif kind == TRIANGLE:
        if x < p[0] or x > p[1]:
            return -INFINITY
        if x < p[2]:
            return log(2.0 * (x - p[0]) / ((p[1] - p[0]) * (p[2] - p[0])))
        if x == p[2]:
            return log(2.0 / (p[1] - p[0]))
        return log(2.0 * (p[1] - x) / ((p[1] - p[0]) * (p[1] - p[2])))
    elif kind == GUMBEL:
        z = (x - p[0]) / p[1]
        return -p[3] - z - exp(-z)
    elif kind == INVERSEGAMMA:
        if x <= 0:
            return -INFINITY
        return p[3] - (p[0] + 1.0) * log(x) - p[1] / x
    elif kind == POISSON:
        if x < 0 or not is_integer(x):
            return -INFINITY
        return sc.xlogy(x, p[0]) - p[0] - sc.gammaln(x + 1.0)
    elif kind == BINOMIAL:
        if x < 0 or x > p[0] or not is_integer(x):
            return -INFINITY
        return (p[3] - sc.gammaln(x + 1.0) - sc.gammaln(p[0] - x + 1.0)
                + sc.xlogy(x, p[1]) + sc.xlog1py(p[0] - x, -p[1]))
    elif kind == BERNOULLI:
        if x == 1:
            return log(p[0])
        if x == 0:
            return log1p(-p[0])
        return -INFINITY
    return NAN


cdef double cdf_of(int kind, const double* p, double x) noexcept nogil:
    cdef double z, k
    if isnan(x):
        return NAN
    if kind == NORMAL:
        return sc.ndtr((x - p[0]) / p[1])
    elif kind == LOGNORMAL:
        if x <= 0:
            return 0.0
        return sc.ndtr((log(x) - p[0]) / p[1])
    elif kind == UNIFORM:
        if x <= p[0]:
            return 0.0
        if x >= p[1]:
            return 1.0
        return (x - p[0]) / p[3]
    elif kind == EXPONENTIAL:
        if x <= 0:
            return 0.0
        return -expm1(-p[0] * x)
    elif kind == GAMMA:
        if x <= 0:
            return 0.0
        return sc.gammainc(p[0], p[1] * x)
    elif kind == BETA:
        if x <= 0:
            return 0.0
        if x >= 1:
            return 1.0
        return sc.betainc(p[0], p[1], x)
    elif kind == STUDENTST:
        return sc.stdtr(p[2], (x - p[0]) / p[1])
    elif kind == FISHER:
        if x <= 0:
            return 0.0
        return sc.fdtr(p[0], p[1], x)
    elif kind == WEIBULL:
        if x <= 0:
            return 0.0
        return -expm1(-pow(x / p[1], p[0]))
    elif kind == LAPLACE:
        z = (x - p[0]) / p[1]
        if z < 0:
            return 0.5 * exp(z)
        return 0.5 - 0.5 * expm1(-z)
    elif kind == LOGISTIC:
        return sc.expit((x - p[0]) / p[1])
    elif kind == PARETO:
        if x <= p[0]:
            return 0.0
        return -expm1(p[1] * log(p[0] / x))
    elif kind == TRIANGLE:
        if x <= p[0]:
            return 0.0
        if x >= p[1]:
            return 1.0
        if x < p[2]:
            return (x - p[0]) * (x - p[0]) / ((p[1] - p[0]) * (p[2] - p[0]))
        return 1.0 - (p[1] - x) * (p[1] - x) / ((p[1] - p[0]) * (p[1] - p[2]))
    elif kind == GUMBEL:
        return exp(-exp(-(x - p[0]) / p[1]))
    elif kind == INVERSEGAMMA:
        if x <= 0:
            return 0.0
        return sc.gammaincc(p[0], p[1] / x)
    elif kind == POISSON:
        if x < 0:
            return 0.0
        return sc.gammaincc(floor(x) + 1.0, p[0])
    elif kind == BINOMIAL:
        if x < 0:
            return 0.0
        k = floor(x)
        if k >= p[0]:
            return 1.0
        return sc.betainc(p[0] - k, k + 1.0, 1.0 - p[1])
    elif kind == BERNOULLI:
        if x < 0:
            return 0.0
        return 1.0 - p[0] if x < 1 else 1.0
    return NAN


cdef double survival_of(int kind, const double* p, double x) noexcept nogil:
    cdef double z, k
    if isnan(x):
        return NAN
    if kind == NORMAL:
        return sc.ndtr((p[0] - x) / p[1])
    elif kind == LOGNORMAL:
        if x <= 0:
            return 1.0
        return sc.ndtr((p[0] - log(x)) / p[1])
    elif kind == UNIFORM:
        if x <= p[0]:
            return 1.0
        if x >= p[1]:
            return 0.0
        return (p[1] - x) / p[3]
    elif kind == EXPONENTIAL:
        if x <= 0:
            return 1.0
        return exp(-p[0] * x)
    elif kind == GAMMA:
        if x <= 0:
            return 1.0
        return sc.gammaincc(p[0], p[1] * x)
    elif kind == BETA:
        if x <= 0:
            return 1.0
        if x >= 1:
            return 0.0
        return sc.betaincc(p[0], p[1], x)
    elif kind == STUDENTST:
        return sc.stdtr(p[2], (p[0] - x) / p[1])
    elif kind == FISHER:
        if x <= 0:
            return 1.0
        return sc.fdtrc(p[0], p[1], x)
    elif kind == WEIBULL:
        if x <= 0:
            return 1.0
        return exp(-pow(x / p[1], p[0]))
    elif kind == LAPLACE:
        z = (x - p[0]) / p[1]
        if z > 0:
            return 0.5 * exp(-z)
        return 0.5 - 0.5 * expm1(z)
    elif kind == LOGISTIC:
        return sc.expit((p[0] - x) / p[1])
    elif kind == PARETO:
        if x <= p[0]:
            return 1.0
        return exp(p[1] * log(p[0] / x))
    elif kind == TRIANGLE:
        if x <= p[0]:
            return 1.0
        if x >= p[1]:
            return 0.0
        if x <= p[2]:
            return 1.0 - (x - p[0]) * (x - p[0]) / ((p[1] - p[0]) * (p[2] - p[0]))
        return (p[1] - x) * (p[1] - x) / ((p[1] - p[0]) * (p[1] - p[2]))
    elif kind == GUMBEL:
        return -expm1(-exp(-(x - p[0]) / p[1]))
    elif kind == INVERSEGAMMA:
        if x <= 0:
            return 1.0
        return sc.gammainc(p[0], p[1] / x)
    elif kind == POISSON:
        if x < 0:
            return 1.0
        return sc.gammainc(floor(x) + 1.0, p[0])
    elif kind == BINOMIAL:
        if x < 0:
            return 1.0
        k = floor(x)
        if k >= p[0]:
            return 0.0
        return sc.betainc(k + 1.0, p[0] - k, p[1])
    elif kind == BERNOULLI:
        if x < 0:
            return 1.0
        return p[0] if x < 1 else 0.0
    return NAN


cdef double discrete_quantile(int kind, const double* p, double q, double start,
                              double upper) noexcept nogil:
    """Smallest integer k in [0, upper] with cdf(k) >= q, stepping from ``start``.

    Above q = 1/2 the test is survival(k) <= 1 - q (1 - q is exact there), so
    upper-tail quantiles keep their accuracy.
    """
    cdef double k = floor(start)
    cdef double r = 1.0 - q
    cdef bint upper_tail = q > 0.5
    if k < 0:
        k = 0
    if k > upper:
        k = upper
    if upper_tail:
        while k > 0 and survival_of(kind, p, k - 1.0) <= r:
            k -= 1.0
        while k < upper and survival_of(kind, p, k) > r:
            k += 1.0
    else:
        while k > 0 and cdf_of(kind, p, k - 1.0) >= q:
            k -= 1.0
        while k < upper and cdf_of(kind, p, k) < q:
            k += 1.0
    return k


cdef double quantile_of(int kind, const double* p, double q) noexcept nogil:
    cdef double z, mean, sd, skew
    if not (0.0 <= q <= 1.0):  # NaN too
        return NAN
    if kind == NORMAL:
        return p[0] + p[1] * sc.ndtri(q)
    elif kind == LOGNORMAL:
        return exp(p[0] + p[1] * sc.ndtri(q))
    elif kind == UNIFORM:
        return p[0] + q * p[3]
    elif kind == EXPONENTIAL:
        return -log1p(-q) / p[0]
    elif kind == GAMMA:
        return sc.gammaincinv(p[0], q) / p[1]
    elif kind == BETA:
        return sc.betaincinv(p[0], p[1], q)
    elif kind == STUDENTST:
        return p[0] + p[1] * sc.stdtrit(p[2], q)
    elif kind == FISHER:
        return sc.fdtri(p[0], p[1], q)
    elif kind == WEIBULL:
        return p[1] * pow(-log1p(-q), 1.0 / p[0])
    elif kind == LAPLACE:
        if q < 0.5:
            return p[0] + p[1] * log(2.0 * q)
        return p[0] - p[1] * log(2.0 * (1.0 - q))
    elif kind == LOGISTIC:
        return p[0] + p[1] * sc.logit(q)
    elif kind == PARETO:
        return p[0] * exp(-log1p(-q) / p[1])
    elif kind == TRIANGLE:
        if q * (p[1] - p[0]) < p[2] - p[0]:
            return p[0] + sqrt(q * (p[1] - p[0]) * (p[2] - p[0]))
        return p[1] - sqrt((1.0 - q) * (p[1] - p[0]) * (p[1] - p[2]))
    elif kind == GUMBEL:
        return p[0] - p[1] * log(-log(q))
    elif kind == INVERSEGAMMA:
        return p[1] / sc.gammainccinv(p[0], q)
    elif kind == POISSON:
        if q == 1.0:
            return INFINITY
        if q == 0.0:
            return 0.0
        # Cornish-Fisher start: within a few steps of the answer.
        z = sc.ndtri(q)
        sd = sqrt(p[0])
        return discrete_quantile(kind, p, q, p[0] + sd * z + (z * z - 1.0) / 6.0 + 0.5,
                                 INFINITY)
    elif kind == BINOMIAL:
        if q == 1.0:
            return p[0] if p[1] > 0 else 0.0
        if q == 0.0:
            return 0.0
        z = sc.ndtri(q)
        mean = p[0] * p[1]
        sd = sqrt(mean * (1.0 - p[1]))
        skew = (1.0 - 2.0 * p[1]) / sd if sd > 0 else 0.0
        return discrete_quantile(kind, p, q,
                                 mean + sd * (z + (z * z - 1.0) * skew / 6.0) + 0.5, p[0])
    elif kind == BERNOULLI:
        return 1.0 if q > 1.0 - p[0] else 0.0
    return NAN


cdef inline double evaluate(int op, int kind, const double* p, double x) noexcept nogil:
    if op == OP_PROB:
        return exp(log_prob_of(kind, p, x))
    elif op == OP_LOG_PROB:
        return log_prob_of(kind, p, x)
    elif op == OP_CDF:
        return cdf_of(kind, p, x)
    elif op == OP_SURVIVAL:
        return survival_of(kind, p, x)
    return quantile_of(kind, p, x)


cdef void evaluate_into(int op, int kind, const double* p, const double[::1] x,
                        double[::1] out) noexcept nogil:
    cdef Py_ssize_t i, n = x.shape[0]
    # Quantiles of the special functions iterate: count them as ~20 times the work.
    cdef int threads = threads_for(n * (20 if op == OP_QUANTILE else 1))
    if threads > 1:
        for i in prange(n, num_threads=threads, schedule="static"):
            out[i] = evaluate(op, kind, p, x[i])
    else:
        for i in range(n):
            out[i] = evaluate(op, kind, p, x[i])


cdef object evaluate_array(int op, int kind, const double* p, object x):
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 0:
        return evaluate(op, kind, p, <double>arr)
    flat = np.ascontiguousarray(arr).reshape(-1)
    out = np.empty(flat.shape[0], dtype=np.float64)
    evaluate_into(op, kind, p, flat, out)
    return out.reshape(arr.shape)


cdef class UnivariateCore:
    """Kind and parameters of a univariate distribution, with its lean evaluators.

    Subclassed by the distributions of ``numkit.stat.distuv``, which validate the
    parameters and call ``_setup`` once.
    """

    cdef int _kind
    cdef double _p[8]
    cdef readonly tuple _params

    def _setup(self, int kind, tuple params):
        """Store ``params`` (Gonum's order) and derive the constants the evaluators use."""
        cdef int i
        cdef double a, b, c
        if not 0 <= kind < N_KINDS or not 1 <= len(params) <= 3:
            raise ValueError("distuv: bad kind or parameter count")
        self._params = params
        for i in range(8):
            self._p[i] = 0.0
        for i in range(len(params)):
            self._p[i] = params[i]
        if kind == CHISQUARED:
            kind = GAMMA
            self._p[0] = 0.5 * self._p[0]
            self._p[1] = 0.5
        self._kind = kind
        a = self._p[0]
        b = self._p[1]
        c = self._p[2]
        if kind == NORMAL or kind == LOGNORMAL:
            self._p[3] = log(b) + HALF_LOG_2PI
        elif kind == UNIFORM:
            self._p[3] = b - a
            self._p[4] = -log(b - a)
        elif kind == EXPONENTIAL:
            self._p[3] = log(a)
        elif kind == GAMMA:
            self._p[3] = a * log(b) - sc.gammaln(a)
        elif kind == BETA:
            self._p[3] = sc.betaln(a, b)
        elif kind == STUDENTST:
            self._p[3] = (sc.gammaln(0.5 * (c + 1.0)) - sc.gammaln(0.5 * c)
                          - 0.5 * (log(c) + LOG_PI) - log(b))
        elif kind == FISHER:
            self._p[3] = (0.5 * (sc.xlogy(a, a) + sc.xlogy(b, b))
                          - sc.betaln(0.5 * a, 0.5 * b))
        elif kind == WEIBULL:
            self._p[3] = log(a / b)
        elif kind == LAPLACE:
            self._p[3] = -log(2.0 * b)
        elif kind == LOGISTIC or kind == GUMBEL:
            self._p[3] = log(b)
        elif kind == PARETO:
            self._p[3] = log(b) + b * log(a)
        elif kind == INVERSEGAMMA:
            self._p[3] = a * log(b) - sc.gammaln(a)
        elif kind == BINOMIAL:
            self._p[3] = sc.gammaln(a + 1.0)

    def prob(self, x):
        """Probability density (mass) at ``x``: a float for a scalar, else an ndarray."""
        if type(x) is float or type(x) is int:
            return exp(log_prob_of(self._kind, self._p, <double>x))
        return evaluate_array(OP_PROB, self._kind, self._p, x)

    def log_prob(self, x):
        """Natural logarithm of the density (mass) at ``x``."""
        if type(x) is float or type(x) is int:
            return log_prob_of(self._kind, self._p, <double>x)
        return evaluate_array(OP_LOG_PROB, self._kind, self._p, x)

    def cdf(self, x):
        """Cumulative distribution function P(X ≤ x)."""
        if type(x) is float or type(x) is int:
            return cdf_of(self._kind, self._p, <double>x)
        return evaluate_array(OP_CDF, self._kind, self._p, x)

    def survival(self, x):
        """Survival function P(X > x), computed directly (accurate in the upper tail)."""
        if type(x) is float or type(x) is int:
            return survival_of(self._kind, self._p, <double>x)
        return evaluate_array(OP_SURVIVAL, self._kind, self._p, x)

    def quantile(self, p):
        """Inverse of ``cdf``; NaN for ``p`` outside [0, 1]."""
        if type(p) is float or type(p) is int:
            return quantile_of(self._kind, self._p, <double>p)
        return evaluate_array(OP_QUANTILE, self._kind, self._p, p)
