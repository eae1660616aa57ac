"""Closed-form divergences between multivariate distributions of one family
(Gonum's ``distmv/statdist.go``: ``KullbackLeibler``, ``Bhattacharyya``,
``Hellinger``)."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from numkit._kernels import _blas
from numkit.errors import ShapeError
from numkit.stat.distmv._normal import Normal, _factorize
from numkit.stat.distmv._simplex import Dirichlet, Uniform

__all__ = ["bhattacharyya", "hellinger", "kullback_leibler"]


def _pair(op: str, p, q, families: tuple[type, ...]) -> type:
    """The common family of ``p`` and ``q`` (TypeError naming both types if there is
    no closed form for the pair; ShapeError if their dimensions differ)."""
    kind = type(p)
    if kind not in families or type(q) is not kind:
        names = ", ".join(f"{f.__name__}–{f.__name__}" for f in families)
        raise TypeError(f"{op}: no closed form for {type(p).__name__}–{type(q).__name__}; "
                        f"supported pairs are {names}")
    if p.dim() != q.dim():
        raise ShapeError(f"{op}: p has dimension {p.dim()} but q has dimension "
                         f"{q.dim()}; they must match")
    return kind


def _right_solve(u: np.ndarray, b: np.ndarray) -> np.ndarray:
    """B U⁻¹ for an upper triangular U (``dtrsm`` from the right), on a copy of B."""
    out = np.array(b, dtype=np.float64, order="C", ndmin=2)
    _blas.trsm_into(u, out, 1.0, False, True, False, False)
    return out


def _log_beta(alpha: np.ndarray) -> float:
    """log of the multivariate Beta function, Σ log Γ(αᵢ) − log Γ(Σ αᵢ)."""
    return float(special.gammaln(alpha).sum() - special.gammaln(alpha.sum()))


def _log_overlap(p: Uniform, q: Uniform) -> float:
    """log of the volume where both boxes have positive density (−inf if none)."""
    lo = np.maximum(p.bounds[:, 0], q.bounds[:, 0])
    hi = np.minimum(p.bounds[:, 1], q.bounds[:, 1])
    if (hi <= lo).any():
        return -math.inf
    return float(np.log(hi - lo).sum())


def kullback_leibler(p, q) -> float:
    r"""The Kullback–Leibler divergence D(p ‖ q) = ∫ p log(p/q), in nats, for two
    distributions of one family (Gonum's ``KullbackLeibler``).

    Parameters
    ----------
    p, q : Normal, Dirichlet or Uniform
        Both of the same type and dimension.

    Returns
    -------
    float
        Normal: ½[log|Σq| − log|Σp| + (μp − μq)ᵀΣq⁻¹(μp − μq) + tr(Σq⁻¹Σp) − d].
        Dirichlet: log B(αq) − log B(αp) + Σ (αp,i − αq,i)(ψ(αp,i) − ψ(αp,0)).
        Uniform: log vol(q) − log vol(p) if p's box lies inside q's, else inf.

    Raises
    ------
    TypeError
        For any other pair of types (the message names both).
    ShapeError
        If the dimensions differ.

    Notes
    -----
    For Normals, with Σ = UᵀU, tr(Σq⁻¹Σp) = ‖Up Uq⁻¹‖²_F and the Mahalanobis term
    is one more triangular solve (``dtrsm``): no inverse is formed.

    References
    ----------
    Gonum, ``stat/distmv/statdist.go``. J. Duchi, *Derivations for Linear Algebra
    and Optimization* (Gaussian KL); B. Kurt, *Kullback–Leibler Divergence Between
    Two Dirichlet (and Beta) Distributions*, 2013.

    Examples
    --------
    >>> from numkit.stat.distmv import Normal, kullback_leibler
    >>> p = Normal([0.0, 0.0], [[1.0, 0.0], [0.0, 1.0]])
    >>> q = Normal([1.0, 0.0], [[1.0, 0.0], [0.0, 1.0]])
    >>> kullback_leibler(p, q)
    0.5
    """
    kind = _pair("kullback_leibler", p, q, (Normal, Dirichlet, Uniform))
    if kind is Normal:
        d = p.dim()
        y = _right_solve(q._u, p._mu - q._mu)
        trace = _right_solve(q._u, p._u)
        return 0.5 * (q._log_det - p._log_det + float(np.vdot(y, y))
                      + float(np.vdot(trace, trace)) - d)
    if kind is Dirichlet:
        a, b = p.alpha, q.alpha
        digamma = special.digamma(a) - special.digamma(a.sum())
        return _log_beta(b) - _log_beta(a) + float(np.dot(a - b, digamma))
    contained = ((p.bounds[:, 0] >= q.bounds[:, 0])
                 & (p.bounds[:, 1] <= q.bounds[:, 1])).all()
    return q.entropy() - p.entropy() if contained else math.inf


def bhattacharyya(p, q) -> float:
    r"""The Bhattacharyya distance D_B = −log ∫ √(p q) (Gonum's ``Bhattacharyya``).

    Parameters
    ----------
    p, q : Normal, Dirichlet or Uniform
        Both of the same type and dimension.

    Returns
    -------
    float
        Normal: ⅛ (μp − μq)ᵀΣ⁻¹(μp − μq) + ½ log(|Σ| / √(|Σp||Σq|)) with
        Σ = (Σp + Σq)/2. Dirichlet: ½ log B(αp) + ½ log B(αq) − log B((αp + αq)/2).
        Uniform: ½ (log vol(p) + log vol(q)) − log vol(p ∩ q), inf if the boxes do
        not overlap.

    Raises
    ------
    TypeError
        For any other pair of types.
    ShapeError
        If the dimensions differ.
    NotPositiveDefiniteError
        Never for valid Normals (the average of two positive definite matrices is
        positive definite); listed because Σ is factorized anew.

    References
    ----------
    Gonum, ``stat/distmv/statdist.go``. A. Bhattacharyya, On a measure of
    divergence between two statistical populations, *Bull. Calcutta Math. Soc.*
    35 (1943) 99–109.

    Examples
    --------
    >>> from numkit.stat.distmv import Uniform, bhattacharyya
    >>> p = Uniform([[0.0, 2.0]])
    >>> q = Uniform([[1.0, 3.0]])
    >>> round(bhattacharyya(p, q), 12)      # overlap 1, each density 1/2
    0.69314718056
    """
    kind = _pair("bhattacharyya", p, q, (Normal, Dirichlet, Uniform))
    if kind is Normal:
        s, u, log_det = _factorize("bhattacharyya", 0.5 * (p._sigma + q._sigma), p.dim())
        y = _right_solve(u, p._mu - q._mu)
        return (0.125 * float(np.vdot(y, y)) + 0.5 * log_det
                - 0.25 * (p._log_det + q._log_det))
    if kind is Dirichlet:
        a, b = p.alpha, q.alpha
        return 0.5 * (_log_beta(a) + _log_beta(b)) - _log_beta(0.5 * (a + b))
    return 0.5 * (p.entropy() + q.entropy()) - _log_overlap(p, q)


def hellinger(p, q) -> float:
    r"""The Hellinger distance H = √(1 − BC), BC = ∫ √(p q) = exp(−D_B), between
    0 and 1 (Gonum's ``Hellinger``).

    Computed as √(−expm1(−D_B)) from :func:`bhattacharyya`, so nearby
    distributions keep their relative accuracy. Types, shapes and errors as
    :func:`bhattacharyya`.

    References
    ----------
    Gonum, ``stat/distmv/statdist.go``. E. Hellinger, Neue Begründung der Theorie
    quadratischer Formen von unendlichvielen Veränderlichen, *J. reine angew. Math.*
    136 (1909) 210–271.

    Examples
    --------
    >>> from numkit.stat.distmv import Uniform, hellinger
    >>> hellinger(Uniform([[0.0, 1.0]]), Uniform([[2.0, 3.0]]))   # disjoint
    1.0
    """
    _pair("hellinger", p, q, (Normal, Dirichlet, Uniform))
    return math.sqrt(-math.expm1(-bhattacharyya(p, q)))
