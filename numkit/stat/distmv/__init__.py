"""numkit.stat.distmv: multivariate probability distributions in the style of
Gonum's ``stat/distmv``.

Distributions
-------------
``Normal(mu, sigma)`` (sigma is the covariance, as Gonum's ``NewNormal``),
``StudentsT(mu, sigma, nu)`` (Gonum's ``NewStudentsT`` order; sigma is the scale
matrix), ``Dirichlet(alpha)`` and ``Uniform(bounds)`` (bounds of shape (d, 2), row
i the (min, max) of coordinate i). Parameters are validated once, in the
constructor: a malformed shape raises :class:`~numkit.errors.ShapeError` naming the
shapes, NaN/inf or an out-of-range value ValueError naming the parameter and the
element, and a covariance that is not positive definite
:class:`~numkit.errors.NotPositiveDefiniteError`. A distribution does not change
after construction; its parameter arrays are read-only.

Methods
-------
All four: ``log_prob, prob, rand(size=None, rng=None), mean, cov, dim``; Normal and
Uniform add ``entropy``. Normal has ``marginal_normal(vars)``,
``marginal_normal_single(i)`` and ``conditional_normal(observed, values)``;
StudentsT has ``marginal_student_t``, ``marginal_student_t_single`` and
``conditional_student_t`` (Gonum's ``MarginalNormal``, ``ConditionNormal``, …;
Gonum's ``ok == false`` becomes an exception). ``cov()`` returns a
:class:`~numkit.mat.SymDense`; ``mean()`` a new ndarray.

``log_prob`` and ``prob`` take one point of shape (d,) and return a float, or points
stacked along leading axes, shape (..., d), and return an array of shape (...).
NaN in a point gives NaN for that point; a point outside the support gives −inf
(``prob`` 0). ``rand(size)`` returns shape ``size + (d,)`` (``(d,)`` for None);
``rng`` is a ``numpy.random.Generator`` (used as is) or a seed — global random
state is never touched.

Numerics
--------
Normal and StudentsT factorize Σ = UᵀU once with :class:`numkit.mat.Cholesky`
(LAPACK ``dpotrf``, with its condition-number warning). ``log_prob`` of n points
is one triangular solve with n right-hand sides (BLAS ``dtrsm``, Z U⁻¹ for the
centred points Z as rows) and ``rand`` one triangular product (``dtrmm``), so there
is no loop over points in Python. Conditionals use the Schur complement through
W = U₂₂⁻ᵀ Σ₂₁, so Σ₁₁ − WᵀW is symmetric by construction and no inverse is formed.

Divergences
-----------
``kullback_leibler(p, q)`` (Normal, Dirichlet, Uniform), ``bhattacharyya(p, q)``
and ``hellinger(p, q)`` (Normal, Dirichlet, Uniform) between two distributions of
one type and dimension, in closed form (Gonum's ``statdist.go``; Dirichlet
Bhattacharyya/Hellinger is an addition). Any other pair raises TypeError naming
the two types.
"""

from numkit.stat.distmv._divergence import bhattacharyya, hellinger, kullback_leibler
from numkit.stat.distmv._normal import Normal, StudentsT
from numkit.stat.distmv._simplex import Dirichlet, Uniform

__all__ = [
    "Dirichlet",
    "Normal",
    "StudentsT",
    "Uniform",
    "bhattacharyya",
    "hellinger",
    "kullback_leibler",
]
