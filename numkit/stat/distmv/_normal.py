"""The multivariate Normal and Student's t distributions, both held through the
Cholesky factor of their (scale) matrix (Gonum's ``distmv/normal.go`` and
``distmv/studentst.go``)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy import special

from numkit._kernels import _blas
from numkit.errors import NotPositiveDefiniteError, ShapeError
from numkit.mat import Cholesky, SymDense
from numkit.stat import distuv
from numkit.stat.distmv._base import (
    RngLike,
    as_points,
    finite_vector,
    generator,
    index_list,
    sample_shape,
)

__all__ = ["Normal", "StudentsT"]

_LOG_2PI = math.log(2.0 * math.pi)


def _factorize(op: str, sigma, dim: int) -> tuple[np.ndarray, np.ndarray, float]:
    """The symmetric matrix (a new array), its upper Cholesky factor U (Σ = UᵀU)
    and log det Σ, with errors that name ``op`` and ``sigma``."""
    is_sym = isinstance(sigma, SymDense)
    try:
        s = np.array(sigma, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{op}: sigma must be a real matrix; got {sigma!r}") from None
    if s.shape != (dim, dim):
        raise ShapeError(f"{op}: sigma has shape {s.shape} but mu has length {dim}; "
                         f"sigma must be {dim}×{dim}")
    bad = ~np.isfinite(s)
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        raise ValueError(f"{op}: sigma must be finite; sigma[{i}, {j}] is {float(s[i, j])!r}")
    chol = Cholesky()
    try:
        chol.factorize(sigma if is_sym else s)
    except NotPositiveDefiniteError as err:
        raise NotPositiveDefiniteError(
            f"{op}: sigma is not positive definite ({err}); a covariance must be "
            f"symmetric positive definite") from None
    except ValueError as err:  # not symmetric
        raise ValueError(f"{op}: sigma is not a valid covariance: {err}") from None
    if not is_sym:  # the upper triangle is what was factorized
        s = np.triu(s) + np.triu(s, 1).T
    s.flags.writeable = False
    return s, np.asarray(chol.u()), chol.log_det()


def _conditional(op: str, mu: np.ndarray, sigma: np.ndarray, observed, values,
                 ) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Mean and Schur complement of the unobserved variables given the observed
    ones, with β = (v − μ₂)ᵀ Σ₂₂⁻¹ (v − μ₂) and the number observed.

    μ₁ + Σ₁₂ Σ₂₂⁻¹ (v − μ₂) and Σ₁₁ − Σ₁₂ Σ₂₂⁻¹ Σ₂₁, both through W = U₂₂⁻ᵀ Σ₂₁
    (one triangular solve with the factor of Σ₂₂), so the complement is
    Σ₁₁ − WᵀW.
    """
    dim = mu.size
    ob = index_list(op, "observed", observed, dim, allow_all=False)
    vals = finite_vector(op, "values", values)
    if vals.size != ob.size:
        raise ShapeError(f"{op}: values has length {vals.size} but observed has "
                         f"{ob.size} indices; they must match")
    unob = np.setdiff1d(np.arange(dim), ob)
    _, u22, _ = _factorize(op, sigma[np.ix_(ob, ob)], ob.size)
    w = np.ascontiguousarray(sigma[np.ix_(ob, unob)])
    _blas.trsm_into(u22, w, 1.0, True, True, True, False)
    r = (vals - mu[ob])[:, None]
    _blas.trsm_into(u22, r, 1.0, True, True, True, False)
    mean = mu[unob] + (w.T @ r)[:, 0]
    schur = sigma[np.ix_(unob, unob)] - w.T @ w
    beta = float(r[:, 0] @ r[:, 0])
    return mean, 0.5 * (schur + schur.T), beta, int(ob.size)


class _Elliptical:
    """What Normal and StudentsT share: μ, the scale matrix Σ, its factor U and
    the Mahalanobis distance of points by one triangular solve."""

    __slots__ = ("_mu", "_sigma", "_u", "_log_det")
    _name = ""

    def _setup(self, mu: npt.ArrayLike, sigma) -> None:
        self._mu = finite_vector(self._name, "mu", mu)
        self._sigma, self._u, self._log_det = _factorize(self._name, sigma, self._mu.size)

    def dim(self) -> int:
        """The dimension d of the distribution (Gonum's ``Dim``)."""
        return self._mu.size

    @property
    def mu(self) -> np.ndarray:
        """The location vector μ (a read-only array)."""
        return self._mu

    def _mahalanobis_sq(self, op: str, x: npt.ArrayLike) -> tuple[np.ndarray, int]:
        """(x − μ)ᵀ Σ⁻¹ (x − μ) for each point, shape ``x.shape[:-1]``, and x's ndim.

        With Σ = UᵀU, the rows of Z = X − μ solve to Y = Z U⁻¹ (``dtrsm`` from the
        right, all points at once) and the distance is ‖y‖². NaN propagates by row.
        """
        pts = as_points(op, x, self._mu.size)
        z = pts.reshape(-1, self._mu.size) - self._mu
        if z.shape[0]:
            _blas.trsm_into(self._u, z, 1.0, False, True, False, False)
        return np.einsum("ij,ij->i", z, z).reshape(pts.shape[:-1]), pts.ndim

    def _standard(self, size, rng: RngLike) -> np.ndarray:
        """Samples of N(0, Σ): rows of standard normals times U (``dtrmm``)."""
        z = generator(rng).standard_normal(sample_shape(size, self._mu.size))
        flat = z.reshape(-1, self._mu.size)
        if flat.shape[0]:
            _blas.trmm_into(self._u, flat, 1.0, False, True, False, False)
        return z

    def prob(self, x: npt.ArrayLike) -> float | np.ndarray:
        """The density at ``x``: ``exp(log_prob(x))``, same shapes."""
        lp = self.log_prob(x)
        return math.exp(lp) if isinstance(lp, float) else np.exp(lp)

    def log_prob(self, x: npt.ArrayLike) -> float | np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{self._name}(dim={self._mu.size})"


class Normal(_Elliptical):
    r"""The multivariate normal distribution N(μ, Σ) (Gonum's ``distmv.Normal``).

    .. math:: p(x) = (2\pi)^{-d/2} |\Sigma|^{-1/2}
              e^{-\frac12 (x-\mu)^T \Sigma^{-1} (x-\mu)}

    Parameters
    ----------
    mu : array-like, shape (d,)
        The mean (finite).
    sigma : SymDense or array-like, shape (d, d)
        The covariance: symmetric positive definite (an array is checked for
        symmetry and its upper triangle used, as :class:`numkit.mat.Cholesky` does).

    Raises
    ------
    ShapeError
        If ``mu`` is not a non-empty vector or ``sigma`` is not d×d.
    ValueError
        If a parameter holds NaN or inf, or ``sigma`` is not symmetric.
    NotPositiveDefiniteError
        If ``sigma`` is not positive definite.

    Warns
    -----
    ConditionWarning
        If ``sigma``'s condition number exceeds 1e16 (see :func:`numkit.errstate`).

    Notes
    -----
    The constructor factorizes Σ = UᵀU once (:class:`numkit.mat.Cholesky`,
    LAPACK ``dpotrf``). ``log_prob`` of n points is one triangular solve with n
    right-hand sides (``dtrsm``) and ``rand`` one triangular product (``dtrmm``):
    no loop over points. ``x`` is one point of shape (d,) (a float is returned) or
    points stacked along the leading axes, shape (..., d) (an array of shape
    (...) is returned). ``rand(size)`` returns shape ``size + (d,)``.

    References
    ----------
    Gonum, ``stat/distmv/normal.go``. C. M. Bishop, *Pattern Recognition and
    Machine Learning*, Springer, 2006, §2.3 (marginal and conditional Gaussians).

    Examples
    --------
    >>> from numkit.stat.distmv import Normal
    >>> d = Normal([6.0, 7.0], [[8.0, 2.0], [2.0, 4.0]])
    >>> round(d.log_prob([1.0, 2.0]), 12)       # Gonum's TestNormProbs
    -7.075407892926
    >>> c = d.conditional_normal([1], [10.0])
    >>> c.mean(), round(c.cov().at(0, 0), 12)
    (array([7.5]), 7.0)
    """

    __slots__ = ()
    _name = "Normal"

    def __init__(self, mu: npt.ArrayLike, sigma) -> None:
        self._setup(mu, sigma)

    def log_prob(self, x: npt.ArrayLike) -> float | np.ndarray:
        """The log density at a point of shape (d,) (a float) or at each point of
        an array of shape (..., d) (an array of shape (...)); NaN propagates."""
        m, ndim = self._mahalanobis_sq("Normal.log_prob", x)
        lp = -0.5 * (m + self._mu.size * _LOG_2PI + self._log_det)
        return float(lp) if ndim == 1 else lp

    def rand(self, size: int | tuple[int, ...] | None = None,
             rng: RngLike = None) -> np.ndarray:
        """Random samples, shape ``size + (d,)``: μ + zU with z standard normal.
        ``rng`` is a numpy Generator (used as is) or a seed; no global state."""
        x = self._standard(size, rng)
        x += self._mu
        return x

    def mean(self) -> np.ndarray:
        """The mean μ (a new array)."""
        return self._mu.copy()

    def cov(self) -> SymDense:
        """The covariance Σ (a new SymDense; Gonum's ``CovarianceMatrix``)."""
        return SymDense(self._mu.size, self._sigma.copy())

    def entropy(self) -> float:
        """The differential entropy d/2 (1 + log 2π) + ½ log det Σ, in nats."""
        return 0.5 * (self._mu.size * (1.0 + _LOG_2PI) + self._log_det)

    def marginal_normal(self, vars) -> Normal:
        """The marginal distribution of the variables ``vars`` (distinct indices,
        in the order given): N(μ[vars], Σ[vars, vars]) (Gonum's ``MarginalNormal``)."""
        idx = index_list("Normal.marginal_normal", "vars", vars, self._mu.size)
        return Normal(self._mu[idx], self._sigma[np.ix_(idx, idx)])

    def marginal_normal_single(self, i: int) -> distuv.Normal:
        """The marginal of variable ``i`` as a univariate
        :class:`numkit.stat.distuv.Normal` (Gonum's ``MarginalNormalSingle``)."""
        (j,) = index_list("Normal.marginal_normal_single", "i", [i], self._mu.size)
        return distuv.Normal(float(self._mu[j]), math.sqrt(self._sigma[j, j]))

    def conditional_normal(self, observed, values) -> Normal:
        """The distribution of the unobserved variables (in increasing index order)
        given that the variables ``observed`` took the ``values`` (Gonum's
        ``ConditionNormal``): N(μ₁ + Σ₁₂Σ₂₂⁻¹(v − μ₂), Σ₁₁ − Σ₁₂Σ₂₂⁻¹Σ₂₁).

        Raises
        ------
        ValueError
            If ``observed`` is empty, repeats an index or lists every variable.
        IndexError
            If an index is outside [0, d).
        ShapeError
            If ``values`` and ``observed`` differ in length.
        """
        mean, schur, _, _ = _conditional("Normal.conditional_normal", self._mu,
                                         self._sigma, observed, values)
        return Normal(mean, schur)


class StudentsT(_Elliptical):
    r"""The multivariate Student's t distribution (Gonum's ``distmv.StudentsT``).

    .. math:: p(x) = \frac{\Gamma((\nu+d)/2)}{\Gamma(\nu/2)} (\nu\pi)^{-d/2}
              |\Sigma|^{-1/2} \left(1 + \tfrac1\nu (x-\mu)^T\Sigma^{-1}(x-\mu)
              \right)^{-(\nu+d)/2}

    Parameters
    ----------
    mu : array-like, shape (d,)
        The location (finite).
    sigma : SymDense or array-like, shape (d, d)
        The scale matrix, symmetric positive definite (not the covariance, which
        is ν/(ν − 2) Σ).
    nu : float
        Degrees of freedom, positive and finite.

    Raises
    ------
    As :class:`Normal`, and ValueError for a ``nu`` that is not positive and finite.

    Notes
    -----
    Positional order is Gonum's ``NewStudentsT(mu, sigma, nu)`` (and that of
    :class:`numkit.stat.distuv.StudentsT`). ``mean()`` is μ for ν > 1 and NaN
    otherwise; ``cov()`` is ν/(ν − 2) Σ for ν > 2, all inf for 1 < ν ≤ 2 and all
    NaN for ν ≤ 1 (as :class:`~numkit.stat.distuv.StudentsT`'s variance).
    ``rand`` draws μ + y √(ν/u) with y ~ N(0, Σ) and u ~ χ²(ν).

    References
    ----------
    Gonum, ``stat/distmv/studentst.go``. M. Roth, *On the multivariate t
    distribution*, Linköping University, LiTH-ISY-R-3059, 2013 (conditionals).

    Examples
    --------
    >>> from numkit.stat.distmv import StudentsT
    >>> t = StudentsT([0.0, 0.0], [[1.0, 0.0], [0.0, 1.0]], 4.0)
    >>> round(t.log_prob([0.0, 0.0]), 12)
    -1.837877066409
    >>> t.cov().at(0, 0)
    2.0
    """

    __slots__ = ("_nu",)
    _name = "StudentsT"

    def __init__(self, mu: npt.ArrayLike, sigma, nu: float) -> None:
        try:
            v = float(nu)
        except (TypeError, ValueError):
            raise TypeError(f"StudentsT: nu must be a real number; got {nu!r}") from None
        if not (v > 0 and math.isfinite(v)):
            raise ValueError(f"StudentsT: nu must be positive and finite; got {v!r}")
        self._nu = v
        self._setup(mu, sigma)

    @property
    def nu(self) -> float:
        """Degrees of freedom ν (Gonum's ``Nu``)."""
        return self._nu

    def log_prob(self, x: npt.ArrayLike) -> float | np.ndarray:
        """The log density at a point of shape (d,) (a float) or at each point of
        an array of shape (..., d) (an array of shape (...)); NaN propagates."""
        m, ndim = self._mahalanobis_sq("StudentsT.log_prob", x)
        nu, d = self._nu, self._mu.size
        const = (special.gammaln(0.5 * (nu + d)) - special.gammaln(0.5 * nu)
                 - 0.5 * d * math.log(nu * math.pi) - 0.5 * self._log_det)
        lp = const - 0.5 * (nu + d) * np.log1p(m / nu)
        return float(lp) if ndim == 1 else lp

    def rand(self, size: int | tuple[int, ...] | None = None,
             rng: RngLike = None) -> np.ndarray:
        """Random samples, shape ``size + (d,)``: μ + y √(ν/u), y ~ N(0, Σ),
        u ~ χ²(ν). ``rng`` is a numpy Generator (used as is) or a seed."""
        gen = generator(rng)
        y = self._standard(size, gen)
        u = gen.chisquare(self._nu, y.shape[:-1])
        y *= np.sqrt(self._nu / u)[..., None]
        y += self._mu
        return y

    def mean(self) -> np.ndarray:
        """μ for ν > 1; NaN (undefined) otherwise."""
        return self._mu.copy() if self._nu > 1 else np.full(self._mu.size, np.nan)

    def cov(self) -> SymDense:
        """The covariance ν/(ν − 2) Σ (Gonum's ``CovarianceMatrix``) for ν > 2;
        inf for 1 < ν ≤ 2, NaN for ν ≤ 1."""
        nu = self._nu
        if nu > 2:
            c = self._sigma * (nu / (nu - 2.0))
        else:
            c = np.full_like(self._sigma, np.inf if nu > 1 else np.nan)
        return SymDense(self._mu.size, c)

    def marginal_student_t(self, vars) -> StudentsT:
        """The marginal distribution of the variables ``vars``:
        t(μ[vars], Σ[vars, vars], ν) (Gonum's ``MarginalStudentsT``)."""
        idx = index_list("StudentsT.marginal_student_t", "vars", vars, self._mu.size)
        return StudentsT(self._mu[idx], self._sigma[np.ix_(idx, idx)], self._nu)

    def marginal_student_t_single(self, i: int) -> distuv.StudentsT:
        """The marginal of variable ``i`` as a univariate
        :class:`numkit.stat.distuv.StudentsT` (Gonum's ``MarginalStudentsTSingle``)."""
        (j,) = index_list("StudentsT.marginal_student_t_single", "i", [i],
                          self._mu.size)
        return distuv.StudentsT(float(self._mu[j]), math.sqrt(self._sigma[j, j]),
                                self._nu)

    def conditional_student_t(self, observed, values) -> StudentsT:
        """The distribution of the unobserved variables given the ``observed`` ones
        (Gonum's ``ConditionStudentsT``): location μ₁ + Σ₁₂Σ₂₂⁻¹(v − μ₂), scale
        (ν + β)/(ν + k) (Σ₁₁ − Σ₁₂Σ₂₂⁻¹Σ₂₁) and ν + k degrees of freedom, where k
        variables are observed and β = (v − μ₂)ᵀΣ₂₂⁻¹(v − μ₂). Errors as
        :meth:`Normal.conditional_normal`."""
        mean, schur, beta, k = _conditional("StudentsT.conditional_student_t",
                                            self._mu, self._sigma, observed, values)
        nu = self._nu
        return StudentsT(mean, schur * ((nu + beta) / (nu + k)), nu + k)
