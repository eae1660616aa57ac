"""numkit.stat.distuv: univariate probability distributions in the style of Gonum's
``stat/distuv``.

Distributions
-------------
``Normal(mu, sigma)``, ``LogNormal(mu, sigma)``, ``Uniform(min, max)``,
``Exponential(rate)``, ``Gamma(alpha, beta)`` (beta is a *rate*, as Gonum),
``Beta(alpha, beta)``, ``ChiSquared(k)``, ``StudentsT(mu, sigma, nu)``,
``F(d1, d2)``, ``Weibull(k, lambda_)``, ``Laplace(mu, scale)``,
``Logistic(mu, s)``, ``Pareto(xm, alpha)``, ``Triangle(a, b, c)`` (a lower, b
upper, c mode, as Gonum's ``NewTriangle``), ``Gumbel(mu, beta)`` (right-skewed),
``InverseGamma(alpha, beta)`` (beta a scale), ``Poisson(lambda_)``,
``Binomial(n, p)``, ``Bernoulli(p)``, ``Categorical(weights)``. Parameters are
positional in Gonum's order; the keyword names are the ones listed. They are
validated once, in the constructor (``Normal(0, -1)`` raises ValueError naming
``sigma`` and its value), and a distribution is immutable: equal parameters compare
equal, hash alike and pickle.

Methods
-------
Gonum's method set, as methods (``d.mean()``, not properties): ``prob, log_prob,
cdf, survival, quantile, rand(size=None, rng=None), mean, median, mode,
variance, std_dev, skewness, ex_kurtosis, entropy, num_parameters, score`` and the
classmethod ``fit(x, weights=None)``, which returns a new, fitted instance (Gonum's
``Fit`` sets the receiver's fields). ``fit`` is maximum likelihood with frequency
weights: closed form where one exists (Normal, LogNormal, Exponential, Uniform,
Laplace, Pareto, Poisson, Bernoulli, Binomial with known ``n``, Categorical),
Newton's method on the score equations where not (the shapes of Gamma,
InverseGamma, ChiSquared, Beta, Weibull, Gumbel's scale), BFGS with the analytic
score for StudentsT, F and Logistic; Triangle's fit is documented on the class.
``score(x)`` is the gradient of ``log_prob(x)`` with respect to the parameters,
shape ``np.shape(x) + (num_parameters(),)``; Binomial and Categorical have none.

``prob, log_prob, cdf, survival, quantile`` take a Python float or int and return a
float, or take anything array-like and return an ndarray of the same shape.
``quantile`` gives NaN for probabilities outside [0, 1] (scipy's convention; Gonum
panics). Discrete distributions take and return floats, as Gonum: ``prob`` of a
non-integer is 0, ``cdf(x)`` is P(X ≤ floor(x)), and ``quantile(p)`` is the smallest
integer k with cdf(k) ≥ p (Gonum has no discrete quantile). ``rand`` returns a float
for ``size=None`` and a float64 ndarray otherwise; ``rng`` is a
``numpy.random.Generator`` or a seed, never global state.

Numerics and speed
------------------
Every distribution except Categorical subclasses the kernel class
``numkit._kernels._distuv.UnivariateCore``, which keeps the parameters (and
constants derived from them, such as log-normalisers) in C. A call with a float goes
straight to a C function that calls ``scipy.special.cython_special`` — no array
conversion, no validation, about 100 ns — and an array goes through one loop over
the same C functions (parallel for large arrays), so scalar and array results agree
bit for bit. Special functions only, never ``scipy.stats``: ``survival`` is
computed directly (``ndtr(-z)``, ``gammaincc``, ``betaincc``, ``exp(-rate·x)`` …),
not as 1 − cdf, so upper tails keep their relative accuracy; ``log_prob`` is formed
in log space (``xlogy``, ``log1p``, ``gammaln``) and stays finite far beyond where
``prob`` underflows.
"""

from numkit.stat.distuv._base import Univariate
from numkit.stat.distuv._bounded import Beta, F, Triangle, Uniform
from numkit.stat.distuv._discrete import Bernoulli, Binomial, Categorical, Poisson
from numkit.stat.distuv._extreme import Gumbel, Laplace, Logistic, Pareto, Weibull
from numkit.stat.distuv._gamma import ChiSquared, Exponential, Gamma, InverseGamma
from numkit.stat.distuv._normal import LogNormal, Normal, StudentsT

__all__ = [
    "F",
    "Bernoulli",
    "Beta",
    "Binomial",
    "Categorical",
    "ChiSquared",
    "Exponential",
    "Gamma",
    "Gumbel",
    "InverseGamma",
    "Laplace",
    "LogNormal",
    "Logistic",
    "Normal",
    "Pareto",
    "Poisson",
    "StudentsT",
    "Triangle",
    "Uniform",
    "Univariate",
    "Weibull",
]
