"""Information-theoretic functions of discrete distributions (Gonum's stat.go).

``entropy``, ``cross_entropy``, ``kullback_leibler``, ``jensen_shannon``,
``hellinger`` and ``bhattacharyya`` take probability vectors ``p`` (and ``q``) and
return a float in nats. As in Gonum, the inputs are **not normalised**: the
formulas are applied to the numbers given, so pass distributions that sum to 1 (or
divide by the sum first) when a divergence is meant.

Each function reads its inputs once in a Cython kernel (``numkit._kernels.
_divergence``): no temporaries such as numpy's ``p * np.log(p / q)``, OpenMP
threads above a size threshold, and a deterministic chunked pairwise sum, so the
result does not depend on the thread count.

Common rules: ``p`` and ``q`` are 1-D real array-likes of the same length (float32
is read directly, integers become float64); a negative entry raises ValueError
naming its index; empty input returns NaN with a RuntimeWarning (Gonum returns 0);
NaN propagates — NaN in either input gives NaN, even beside a zero ``p_i`` — so
there is no ``nan_policy``: omitting a NaN entry would silently change the
distribution.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from numkit._kernels import _divergence as _kern
from numkit.stat._validate import as_data, empty_result

__all__ = [
    "bhattacharyya",
    "cross_entropy",
    "entropy",
    "hellinger",
    "jensen_shannon",
    "kullback_leibler",
]

_EPS = float(np.finfo(np.float64).eps)


def _pair(p, q, op: str) -> tuple[np.ndarray, np.ndarray]:
    p = as_data(p, op, "p")
    q = as_data(q, op, "q")
    if p.shape[0] != q.shape[0]:
        raise ValueError(
            f"stat.{op}: p and q must have the same length; p has length {p.shape[0]} "
            f"but q has length {q.shape[0]}"
        )
    return p, q


def _raise_negative(op: str, **arrays: np.ndarray) -> None:
    """Name the first negative entry (called only when the kernel saw one)."""
    for name, a in arrays.items():
        neg = a < 0
        if neg.any():
            i = int(np.argmax(neg))
            raise ValueError(
                f"stat.{op}: {name}[{i}] = {float(a[i])!r} is negative; {name} must be "
                f"a probability distribution (non-negative entries)"
            )


def _coefficient_is_one(bc: float, n: int) -> bool:
    """True when the Bhattacharyya coefficient ``bc`` is 1 to working accuracy.

    The kernel sums n terms pairwise, error <= (64 + log2 n) eps bc; inputs
    normalised as ``x / x.sum()`` carry numpy's pairwise-sum error,
    <= (16 + log2 n) eps; each term adds <= 4 eps. Within that bound of 1 the
    distance is not resolved, and 0 is returned rather than a value of the size of
    the rounding (or NaN, when rounding lifts ``bc`` above 1).
    """
    return abs(bc - 1.0) <= (84 + 2 * math.log2(max(n, 2))) * _EPS * bc


def entropy(p: npt.ArrayLike) -> float:
    """Shannon entropy of the distribution ``p``, in nats.

    .. math:: H(p) = -\\sum_i p_i \\ln p_i, \\qquad 0 \\ln 0 = 0.

    Parameters
    ----------
    p : array_like, shape (n,)
        Probabilities (not normalised here: pass values that sum to 1).

    Returns
    -------
    float
        The entropy; NaN if ``p`` holds a NaN, or if ``p`` is empty.

    Raises
    ------
    ValueError
        If ``p`` is not 1-D, or has a negative entry (the message names its index).
    TypeError
        If ``p`` is not real-valued.

    Warns
    -----
    RuntimeWarning
        If ``p`` is empty.

    See Also
    --------
    cross_entropy, kullback_leibler

    Notes
    -----
    Gonum's ``stat.Entropy`` (Shannon, 1948), summed pairwise in deterministic
    chunks in one pass. Equals ``scipy.special.entr(p).sum()`` (which also makes a
    temporary of size n) and ``scipy.stats.entropy(p)`` for normalised ``p``.

    References
    ----------
    C. E. Shannon, "A mathematical theory of communication", Bell System Technical
    Journal 27 (1948), 379-423.

    Examples
    --------
    >>> from numkit.stat import entropy
    >>> entropy([0.5, 0.5])  # ln 2
    0.6931471805599453
    >>> entropy([1.0, 0.0, 0.0])
    0.0
    """
    p = as_data(p, "entropy", "p")
    if p.shape[0] == 0:
        return empty_result("entropy")
    total, negative = _kern.entropy_sum(p)
    if negative:
        _raise_negative("entropy", p=p)
    return total


def cross_entropy(p: npt.ArrayLike, q: npt.ArrayLike) -> float:
    """Cross-entropy of ``q`` relative to ``p``, in nats.

    .. math:: H(p, q) = -\\sum_{i:\\, p_i \\ne 0} p_i \\ln q_i.

    Parameters
    ----------
    p, q : array_like, shape (n,)
        Probabilities of the same length (not normalised here).

    Returns
    -------
    float
        The cross-entropy; ``+inf`` if some ``q_i = 0`` where ``p_i > 0``; NaN if
        either input holds a NaN or the inputs are empty.

    Raises
    ------
    ValueError
        If the lengths differ (both are named), an input is not 1-D, or an entry is
        negative (the message names the array and the index, ``p`` first).
    TypeError
        If an input is not real-valued.

    Warns
    -----
    RuntimeWarning
        If the inputs are empty.

    See Also
    --------
    entropy, kullback_leibler : ``H(p, q) = H(p) + KL(p || q)``.

    Notes
    -----
    Gonum's ``stat.CrossEntropy``; one pass, one logarithm per nonzero ``p_i``.

    Examples
    --------
    >>> from numkit.stat import cross_entropy
    >>> cross_entropy([0.5, 0.5], [0.25, 0.75])  # -(ln 0.25 + ln 0.75) / 2
    0.8369882167858358
    >>> cross_entropy([1.0, 0.0], [0.0, 1.0])
    inf
    """
    p, q = _pair(p, q, "cross_entropy")
    if p.shape[0] == 0:
        return empty_result("cross_entropy")
    total, negative = _kern.cross_entropy_sum(p, q)
    if negative:
        _raise_negative("cross_entropy", p=p, q=q)
    return total


def kullback_leibler(p: npt.ArrayLike, q: npt.ArrayLike) -> float:
    """Kullback-Leibler divergence of ``q`` from ``p``, in nats.

    .. math:: KL(p \\| q) = \\sum_{i:\\, p_i \\ne 0} p_i \\ln \\frac{p_i}{q_i}.

    Parameters
    ----------
    p, q : array_like, shape (n,)
        Probabilities of the same length (not normalised here).

    Returns
    -------
    float
        The divergence (not symmetric in ``p`` and ``q``); ``+inf`` if some
        ``q_i = 0`` where ``p_i > 0``; NaN if either input holds a NaN or the
        inputs are empty.

    Raises
    ------
    ValueError
        If the lengths differ (both are named), an input is not 1-D, or an entry is
        negative (the message names the array and the index, ``p`` first).
    TypeError
        If an input is not real-valued.

    Warns
    -----
    RuntimeWarning
        If the inputs are empty.

    See Also
    --------
    jensen_shannon : a symmetric, bounded divergence.

    Notes
    -----
    Gonum's ``stat.KullbackLeibler`` semantics (Kullback and Leibler, 1951). Each
    term is ``p_i ln(p_i / q_i)`` from the correctly rounded ratio — one logarithm,
    accurate when ``p_i ≈ q_i`` where Gonum's ``ln p_i − ln q_i`` cancels — falling
    back to the difference of logarithms only when the ratio under- or overflows.
    For unnormalised inputs the value can be negative, as in Gonum and
    ``scipy.special.rel_entr(p, q).sum()``.

    References
    ----------
    S. Kullback and R. A. Leibler, "On information and sufficiency", Annals of
    Mathematical Statistics 22 (1951), 79-86.

    Examples
    --------
    >>> from numkit.stat import kullback_leibler
    >>> kullback_leibler([1.0, 0.0], [0.5, 0.5])  # ln 2
    0.6931471805599453
    >>> kullback_leibler([0.5, 0.5], [1.0, 0.0])
    inf
    """
    p, q = _pair(p, q, "kullback_leibler")
    if p.shape[0] == 0:
        return empty_result("kullback_leibler")
    total, negative = _kern.kullback_leibler_sum(p, q)
    if negative:
        _raise_negative("kullback_leibler", p=p, q=q)
    return total


def jensen_shannon(p: npt.ArrayLike, q: npt.ArrayLike) -> float:
    """Jensen-Shannon divergence between ``p`` and ``q``, in nats.

    .. math:: JS(p, q) = \\tfrac12 KL(p \\| m) + \\tfrac12 KL(q \\| m),
              \\qquad m = \\tfrac12 (p + q).

    Parameters
    ----------
    p, q : array_like, shape (n,)
        Probabilities of the same length (not normalised here).

    Returns
    -------
    float
        The divergence: symmetric, and in ``[0, ln 2]`` for distributions; NaN if
        either input holds a NaN or the inputs are empty.

    Raises
    ------
    ValueError
        If the lengths differ (both are named), an input is not 1-D, or an entry is
        negative (the message names the array and the index, ``p`` first).
    TypeError
        If an input is not real-valued.

    Warns
    -----
    RuntimeWarning
        If the inputs are empty.

    See Also
    --------
    kullback_leibler

    Notes
    -----
    Gonum's ``stat.JensenShannon`` (Lin, 1991). This is the *divergence*;
    ``scipy.spatial.distance.jensenshannon(p, q)`` returns the Jensen-Shannon
    *distance*, its square root (and normalises ``p`` and ``q`` first). Each index
    costs two logarithms, of ``2 p_i / (p_i + q_i)`` and ``2 q_i / (p_i + q_i)``,
    where Gonum takes three.

    References
    ----------
    J. Lin, "Divergence measures based on the Shannon entropy", IEEE Transactions
    on Information Theory 37 (1991), 145-151.

    Examples
    --------
    >>> from numkit.stat import jensen_shannon
    >>> jensen_shannon([1.0, 0.0], [0.0, 1.0])  # disjoint supports: ln 2
    0.6931471805599453
    >>> jensen_shannon([0.5, 0.5], [0.5, 0.5])
    0.0
    """
    p, q = _pair(p, q, "jensen_shannon")
    if p.shape[0] == 0:
        return empty_result("jensen_shannon")
    total, negative = _kern.jensen_shannon_sum(p, q)
    if negative:
        _raise_negative("jensen_shannon", p=p, q=q)
    return total


def hellinger(p: npt.ArrayLike, q: npt.ArrayLike) -> float:
    """Hellinger distance between ``p`` and ``q`` (Gonum's definition).

    .. math:: H(p, q) = \\sqrt{1 - \\sum_i \\sqrt{p_i q_i}}.

    Parameters
    ----------
    p, q : array_like, shape (n,)
        Probabilities of the same length (not normalised here).

    Returns
    -------
    float
        The distance, in ``[0, 1]`` for distributions; NaN if either input holds a
        NaN, if the Bhattacharyya coefficient exceeds 1 by more than rounding
        (inputs not normalised; Gonum gives NaN too), or if the inputs are empty.

    Raises
    ------
    ValueError
        If the lengths differ (both are named), an input is not 1-D, or an entry is
        negative (the message names the array and the index, ``p`` first).
    TypeError
        If an input is not real-valued.

    Warns
    -----
    RuntimeWarning
        If the inputs are empty.

    See Also
    --------
    bhattacharyya : ``-ln(1 - hellinger(p, q)**2)``.

    Notes
    -----
    Gonum's ``stat.Hellinger``: this is ``sqrt(1 - BC)``, without the factor
    ``1/sqrt(2)`` of the other common convention (``||sqrt(p) - sqrt(q)||_2 /
    sqrt(2)``, which it equals for normalised inputs). Each term of the coefficient is
    ``sqrt(p_i q_i)``, or ``sqrt(p_i) sqrt(q_i)`` where the product would
    underflow.
    Near ``BC = 1`` the subtraction cancels: an error of the coefficient of a few
    ulps changes the distance by ``sqrt(eps) ≈ 1.5e-8``, and can lift the
    coefficient of equal distributions above 1, where Gonum returns NaN. A
    coefficient within the rounding bound ``(84 + 2 log2 n) eps`` of 1 (the error of
    summing it, plus that of normalising the inputs by a pairwise sum) is taken as
    1, giving exactly 0; so distances below about ``1.5e-7`` are not resolved.

    Examples
    --------
    >>> from numkit.stat import hellinger
    >>> hellinger([1.0, 0.0], [0.0, 1.0])
    1.0
    >>> hellinger([0.1, 0.2, 0.7], [0.1, 0.2, 0.7])
    0.0
    """
    p, q = _pair(p, q, "hellinger")
    if p.shape[0] == 0:
        return empty_result("hellinger")
    bc, negative = _kern.bhattacharyya_coeff(p, q)
    if negative:
        _raise_negative("hellinger", p=p, q=q)
    if _coefficient_is_one(bc, p.shape[0]):
        return 0.0
    # math.sqrt raises on a negative argument; Gonum's math.Sqrt gives NaN.
    return math.sqrt(1.0 - bc) if bc <= 1.0 else math.nan


def bhattacharyya(p: npt.ArrayLike, q: npt.ArrayLike) -> float:
    """Bhattacharyya distance between ``p`` and ``q``, in nats.

    .. math:: D_B(p, q) = -\\ln \\sum_i \\sqrt{p_i q_i}.

    Parameters
    ----------
    p, q : array_like, shape (n,)
        Probabilities of the same length (not normalised here).

    Returns
    -------
    float
        The distance: ``>= 0`` for distributions, ``+inf`` for disjoint supports;
        NaN if either input holds a NaN or the inputs are empty. For unnormalised
        inputs it can be negative, as in Gonum.

    Raises
    ------
    ValueError
        If the lengths differ (both are named), an input is not 1-D, or an entry is
        negative (the message names the array and the index, ``p`` first).
    TypeError
        If an input is not real-valued.

    Warns
    -----
    RuntimeWarning
        If the inputs are empty.

    See Also
    --------
    hellinger

    Notes
    -----
    Gonum's ``stat.Bhattacharyya`` (Bhattacharyya, 1943). Each term is
    ``sqrt(p_i q_i)``, or ``sqrt(p_i) sqrt(q_i)`` where the product would
    underflow. A
    coefficient within the rounding bound ``(84 + 2 log2 n) eps`` of 1 gives
    exactly 0 rather than a distance of the size of the rounding, possibly
    negative (see :func:`hellinger`).

    References
    ----------
    A. Bhattacharyya, "On a measure of divergence between two statistical
    populations defined by their probability distributions", Bulletin of the
    Calcutta Mathematical Society 35 (1943), 99-109.

    Examples
    --------
    >>> from numkit.stat import bhattacharyya
    >>> bhattacharyya([0.5, 0.5], [0.5, 0.5])
    0.0
    >>> bhattacharyya([1.0, 0.0], [0.0, 1.0])
    inf
    >>> bhattacharyya([0.2, 0.8], [0.8, 0.2])  # -ln(2 sqrt(0.16)) = -ln 0.8
    0.223143551314
    """
    p, q = _pair(p, q, "bhattacharyya")
    if p.shape[0] == 0:
        return empty_result("bhattacharyya")
    bc, negative = _kern.bhattacharyya_coeff(p, q)
    if negative:
        _raise_negative("bhattacharyya", p=p, q=q)
    if _coefficient_is_one(bc, p.shape[0]):
        return 0.0
    if bc == 0.0:  # disjoint supports; math.log(0) would raise
        return math.inf
    return -math.log(bc)
