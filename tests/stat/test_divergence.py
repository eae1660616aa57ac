"""Tests of numkit.stat._divergence against scipy.special, scipy.spatial and mpmath.

Tolerances. Each function sums n terms t_i pairwise in chunks with leaves of at most
64 terms: error <= (64 + log2 n) eps sum|t_i|. numpy's oracle sums pairwise with
leaves of 128 split over 8 accumulators: <= (16 + log2 n) eps sum|t_i|. Each term
costs a few roundings (<= 4 eps |t_i|) plus the absolute error of a logarithm near 0,
which is about eps times its weight p_i (or q_i). Hence

    tol = (88 + 2 log2 n) eps (sum|t_i| + sum p_i + sum q_i),

the bound `_tol` computes; quantities derived from a sum (hellinger, bhattacharyya)
propagate it through their derivative.
"""

from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
import pytest
import scipy.special as sc
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import jensenshannon as scipy_js_distance

import numkit
from numkit.stat._divergence import (
    bhattacharyya,
    cross_entropy,
    entropy,
    hellinger,
    jensen_shannon,
    kullback_leibler,
)

EPS = np.finfo(np.float64).eps
PAIR_FUNCS = [cross_entropy, kullback_leibler, jensen_shannon, hellinger, bhattacharyya]
ALL_FUNCS = [entropy, *PAIR_FUNCS]
NAMES = [f.__name__ for f in ALL_FUNCS]


def _call(f, p, q):
    return f(p) if f is entropy else f(p, q)


def _tol(n, abs_terms, mass):
    return (88 + 2 * math.log2(max(n, 2))) * EPS * (abs_terms + mass)


# --- oracles: (value, sum of |terms|) from scipy / plain numpy ----------------------

def _oracle_entropy(p, q):
    t = sc.entr(p)
    return t.sum(), np.abs(t).sum()


def _oracle_kl(p, q):
    t = sc.rel_entr(p, q)
    return t.sum(), np.abs(t).sum()


def _oracle_cross_entropy(p, q):
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(p == 0, 0.0, -p * np.log(q))
    return t.sum(), np.abs(t).sum()


def _oracle_js(p, q):
    m = 0.5 * (p + q)
    t = 0.5 * (sc.rel_entr(p, m) + sc.rel_entr(q, m))
    return t.sum(), np.abs(sc.rel_entr(p, m)).sum() + np.abs(sc.rel_entr(q, m)).sum()


def _oracle_bc(p, q):
    t = np.sqrt(p * q)
    return t.sum(), t.sum()


def _distributions(rng, n, zeros):
    """Two Dirichlet(1) distributions; with zeros, p vanishes on 1/5 of the indices
    (where q sometimes vanishes too), then both are renormalised."""
    p = rng.dirichlet(np.ones(n))
    q = rng.dirichlet(np.ones(n))
    if zeros and n > 1:
        idx = rng.choice(n, size=max(1, n // 5), replace=False)
        p[idx] = 0.0
        q[idx[::2]] = 0.0
        p /= p.sum()
        q /= q.sum()
    return p, q


CASES = [  # (id, n, zeros, seed); 100_000 runs the chunked, threaded path
    ("n1", 1, False, 1),
    ("n7", 7, False, 2),
    ("n7-zeros", 7, True, 3),
    ("n1000", 1000, False, 4),
    ("n1000-zeros", 1000, True, 5),
    ("n100000-zeros", 100_000, True, 6),
]


@pytest.mark.parametrize(("name", "n", "zeros", "seed"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize(
    ("func", "oracle"),
    [
        (entropy, _oracle_entropy),
        (cross_entropy, _oracle_cross_entropy),
        (kullback_leibler, _oracle_kl),
        (jensen_shannon, _oracle_js),
    ],
    ids=["entropy", "cross_entropy", "kullback_leibler", "jensen_shannon"],
)
def test_log_sums_match_scipy(func, oracle, name, n, zeros, seed):
    p, q = _distributions(np.random.default_rng(seed), n, zeros)
    expected, abs_terms = oracle(p, q)
    got = _call(func, p, q)
    assert isinstance(got, float)
    assert abs(got - expected) <= _tol(n, abs_terms, p.sum() + q.sum())


@pytest.mark.parametrize(("name", "n", "zeros", "seed"), CASES, ids=[c[0] for c in CASES])
def test_hellinger_and_bhattacharyya_match_numpy(name, n, zeros, seed):
    p, q = _distributions(np.random.default_rng(seed), n, zeros)
    bc, _ = _oracle_bc(p, q)
    tol_bc = _tol(n, bc, 0.0)
    if abs(bc - 1) <= tol_bc:  # n == 1: identical one-point distributions
        assert hellinger(p, q) == 0.0
        assert bhattacharyya(p, q) == 0.0
        return
    h = math.sqrt(1 - bc)
    # d sqrt(1 - bc) = -d bc / (2 h); d(-ln bc) = -d bc / bc; plus one rounding each.
    assert abs(hellinger(p, q) - h) <= tol_bc / (2 * h) + 2 * EPS * h
    assert abs(bhattacharyya(p, q) + math.log(bc)) <= tol_bc / bc + 2 * EPS * abs(math.log(bc))


@pytest.mark.parametrize("seed", [11, 12, 13], ids=["s11", "s12", "s13"])
def test_jensen_shannon_is_square_of_scipy_distance(seed):
    p, q = _distributions(np.random.default_rng(seed), 50, True)
    # scipy normalises p and q first (a relative change <= n eps each) and returns
    # the square root of the divergence (base e by default).
    expected = scipy_js_distance(p, q) ** 2
    tol = _tol(50, 2.0, 2.0) + 2 * 50 * EPS * 2.0
    assert abs(jensen_shannon(p, q) - expected) <= tol


# --- high precision -----------------------------------------------------------------

def _mp_values(p, q):
    mpmath.mp.dps = 40
    P = [mpmath.mpf(float(v)) for v in p]
    Q = [mpmath.mpf(float(v)) for v in q]

    def plr(a, b):
        return a * mpmath.log(a / b) if a != 0 else mpmath.mpf(0)

    ent = -sum(a * mpmath.log(a) for a in P if a != 0)
    kl = sum(plr(a, b) for a, b in zip(P, Q, strict=True))
    ce = -sum(a * mpmath.log(b) for a, b in zip(P, Q, strict=True) if a != 0)
    js = sum(plr(a, (a + b) / 2) + plr(b, (a + b) / 2) for a, b in zip(P, Q, strict=True)) / 2
    bc = sum(mpmath.sqrt(a * b) for a, b in zip(P, Q, strict=True))
    abs_terms = sum(abs(plr(a, b)) + abs(plr(a, 1)) for a, b in zip(P, Q, strict=True))
    return {
        "entropy": ent, "kullback_leibler": kl, "cross_entropy": ce,
        "jensen_shannon": js, "bc": bc, "abs_terms": abs_terms,
    }


@pytest.mark.parametrize(
    "kind", ["wide-range", "near-equal", "tiny-entries"], ids=lambda k: k
)
def test_against_mpmath(kind):
    rng = np.random.default_rng(21)
    n = 40
    if kind == "wide-range":  # entries from 1e-300 to 1: exercises the ratio fallback
        p = 10.0 ** rng.uniform(-300, 0, n)
        q = 10.0 ** rng.uniform(-300, 0, n)
    elif kind == "near-equal":  # KL ~ 1e-20: cancellation-prone for log p - log q
        p = rng.dirichlet(np.ones(n))
        q = p * (1 + 1e-10 * rng.standard_normal(n))
    else:  # p q underflows; sqrt(p) sqrt(q) does not
        p = rng.uniform(0.5, 1.0, n) * 1e-170
        q = rng.uniform(0.5, 1.0, n) * 1e-170
    exact = _mp_values(p, q)
    tol = _tol(n, float(exact["abs_terms"]) + abs(float(exact["cross_entropy"])),
               p.sum() + q.sum())
    for f in (entropy, kullback_leibler, cross_entropy, jensen_shannon):
        assert abs(_call(f, p, q) - float(exact[f.__name__])) <= tol, f.__name__
    bc = float(exact["bc"])
    assert abs(bhattacharyya(p, q) + math.log(bc)) <= _tol(n, bc, 0.0) / bc


def test_near_equal_kl_keeps_relative_accuracy():
    # The ratio form keeps KL of nearly equal distributions to a few digits of its
    # own size; Gonum's log p - log q loses it entirely (error ~ eps ~ 1e-16 > KL).
    rng = np.random.default_rng(22)
    p = rng.dirichlet(np.ones(40))
    q = p * (1 + 1e-6 * rng.standard_normal(40))
    exact = float(_mp_values(p, q)["kullback_leibler"])
    assert abs(kullback_leibler(p, q) - exact) <= 1e-6 * abs(exact)


# --- exact values and Gonum's edge semantics -----------------------------------------

LN2 = math.log(2)
EXACT = [
    ("entropy-uniform2", entropy, [0.5, 0.5], None, LN2),
    ("entropy-point", entropy, [0.0, 1.0, 0.0], None, 0.0),
    ("entropy-uniform4", entropy, [0.25] * 4, None, 2 * LN2),
    ("kl-point-vs-uniform", kullback_leibler, [1.0, 0.0], [0.5, 0.5], LN2),
    ("kl-q-zero", kullback_leibler, [0.5, 0.5], [1.0, 0.0], math.inf),
    ("kl-both-zero", kullback_leibler, [0.0, 1.0], [0.0, 1.0], 0.0),
    ("kl-unnormalised-negative", kullback_leibler, [1.0], [2.0], -LN2),
    ("ce-q-zero", cross_entropy, [0.5, 0.5], [1.0, 0.0], math.inf),
    ("ce-p-zero-q-zero", cross_entropy, [0.0, 1.0], [0.0, 1.0], 0.0),
    ("ce-uniform", cross_entropy, [1.0, 0.0], [0.5, 0.5], LN2),
    ("js-disjoint", jensen_shannon, [1.0, 0.0], [0.0, 1.0], LN2),
    ("js-equal", jensen_shannon, [0.3, 0.7], [0.3, 0.7], 0.0),
    ("hellinger-disjoint", hellinger, [1.0, 0.0], [0.0, 1.0], 1.0),
    ("hellinger-equal", hellinger, [0.25, 0.75], [0.25, 0.75], 0.0),
    ("bhattacharyya-disjoint", bhattacharyya, [1.0, 0.0], [0.0, 1.0], math.inf),
    ("bhattacharyya-equal", bhattacharyya, [0.5, 0.5], [0.5, 0.5], 0.0),
    ("bhattacharyya-unnormalised", bhattacharyya, [2.0, 2.0], [2.0, 2.0], -math.log(4.0)),
]


@pytest.mark.parametrize(("name", "func", "p", "q", "expected"), EXACT,
                         ids=[c[0] for c in EXACT])
def test_exact_values(name, func, p, q, expected):
    # Each expected value is ln of a power of 2 or exact; one rounding of ln and a
    # product or two: 2 eps relative.
    got = _call(func, p, q)
    if math.isinf(expected):
        assert got == expected
    else:
        assert abs(got - expected) <= 2 * EPS * abs(expected)


@pytest.mark.parametrize("delta", [5e-6, 5e-7], ids=["1-bc~1e-10", "1-bc~1e-12"])
def test_small_distances_above_the_resolution_are_resolved(delta):
    # q moves mass delta between two cells of a uniform p (p_i = 1/16):
    # 1 - BC ~ delta^2 / (4 p_i) = 4 delta^2, above the clamp bound (~2e-14).
    n = 16
    p = np.full(n, 1.0 / n)
    q = p.copy()
    q[0] += delta
    q[1] -= delta
    bc = float(_mp_values(p, q)["bc"])
    tol_bc = _tol(n, bc, 0.0)
    assert 1 - bc > tol_bc
    h = math.sqrt(1 - bc)
    assert hellinger(p, q) > 0.0
    assert abs(hellinger(p, q) - h) <= tol_bc / (2 * h) + 2 * EPS * h
    assert abs(bhattacharyya(p, q) + math.log(bc)) <= tol_bc / bc


def test_hellinger_of_unnormalised_inputs_is_nan_as_in_gonum():
    assert math.isnan(hellinger([2.0, 2.0], [2.0, 2.0]))


@pytest.mark.parametrize("seed", range(5), ids=lambda s: f"seed{s}")
def test_equal_distributions_are_at_distance_zero(seed):
    # sum(p) = 1 only to rounding, so the coefficient can exceed 1 by a few ulps;
    # that excess is not allowed to turn hellinger into NaN or bhattacharyya negative.
    x = np.random.default_rng(seed).random(1001)
    p = x / x.sum()
    assert hellinger(p, p) == 0.0
    assert bhattacharyya(p, p) == 0.0
    assert kullback_leibler(p, p) == 0.0
    assert jensen_shannon(p, p) == 0.0


@pytest.mark.parametrize("func", ALL_FUNCS, ids=NAMES)
@pytest.mark.parametrize(("where", "n"), [("p-first", 5), ("p-last-chunk", 100_000)],
                         ids=["small", "chunked"])
def test_nan_in_p_propagates(func, where, n):
    p, q = _distributions(np.random.default_rng(31), n, False)
    p[-1 if n > 5 else 0] = np.nan
    assert math.isnan(_call(func, p, q))


@pytest.mark.parametrize("func", PAIR_FUNCS, ids=NAMES[1:])
def test_nan_in_q_propagates_even_where_p_is_zero(func):
    assert math.isnan(func([0.0, 1.0], [np.nan, 1.0]))


# --- input forms ----------------------------------------------------------------------

def _forms():
    p, q = _distributions(np.random.default_rng(41), 300, True)
    big_p = np.repeat(p, 3)
    rec = np.zeros(300, dtype=[("v", "f8"), ("tag", "i1")])  # 9-byte stride
    rec["v"] = p
    ro = p.copy()
    ro.flags.writeable = False
    return p, q, {
        "list": (list(p), list(q)),
        "strided": (big_p[::3], np.repeat(q, 2)[::2]),
        "reversed": (p[::-1].copy()[::-1], q),
        "record-field": (rec["v"], q),
        "read-only": (ro, q),
    }


_P, _Q, FORMS = _forms()


@pytest.mark.parametrize("func", ALL_FUNCS, ids=NAMES)
@pytest.mark.parametrize("form", list(FORMS), ids=list(FORMS))
def test_input_forms_give_the_contiguous_answer(func, form):
    # Same values in the same order: the same bits.
    a, b = FORMS[form]
    assert _call(func, a, b) == _call(func, _P, _Q)


@pytest.mark.parametrize("func", ALL_FUNCS, ids=NAMES)
@pytest.mark.parametrize("which", ["p", "q", "both"], ids=["p32", "q32", "both32"])
def test_float32_is_read_as_its_float64_values(func, which):
    p32 = _P.astype(np.float32)
    q32 = _Q.astype(np.float32)
    p = p32 if which in ("p", "both") else _P
    q = q32 if which in ("q", "both") else _Q
    # Each float32 entry widens exactly, so the float64 copy gives the same bits.
    assert _call(func, p, q) == _call(func, p.astype(np.float64), q.astype(np.float64))


@pytest.mark.parametrize("func", ALL_FUNCS, ids=NAMES)
def test_integer_counts_are_converted(func):
    counts = np.array([3, 0, 5, 2])
    other = np.array([1, 1, 4, 4])
    # hellinger of these unnormalised counts is NaN (Gonum's sqrt of 1 - BC < 0);
    # assert_equal treats NaN as equal to NaN.
    np.testing.assert_equal(_call(func, counts, other),
                            _call(func, counts.astype(float), other.astype(float)))


# --- errors ---------------------------------------------------------------------------

@pytest.mark.parametrize("func", PAIR_FUNCS, ids=NAMES[1:])
def test_length_mismatch(func):
    with pytest.raises(ValueError, match=r"p has length 3 but q has length 4"):
        func([0.2, 0.3, 0.5], [0.25] * 4)


@pytest.mark.parametrize("func", ALL_FUNCS, ids=NAMES)
@pytest.mark.parametrize(("n", "index"), [(4, 2), (100_000, 99_990)], ids=["small", "chunked"])
def test_negative_entry_in_p_is_named(func, n, index):
    p = np.full(n, 1.0 / n)
    p[index] = -0.25
    p[-1] = -1.0  # a later negative is not the one named
    with pytest.raises(ValueError, match=rf"stat\.{func.__name__}: p\[{index}\] = -0\.25 is negative"):
        _call(func, p, np.full(n, 1.0 / n))


@pytest.mark.parametrize("func", PAIR_FUNCS, ids=NAMES[1:])
def test_negative_entry_in_q_is_named(func):
    with pytest.raises(ValueError, match=r"q\[1\] = -0\.5 is negative"):
        func([0.5, 0.5, 0.0], [1.0, -0.5, 0.5])


@pytest.mark.parametrize("func", PAIR_FUNCS, ids=NAMES[1:])
def test_negative_entries_in_both_name_p_first(func):
    with pytest.raises(ValueError, match=r"p\[2\] = -1\.0 is negative"):
        func([0.5, 0.5, -1.0], [-1.0, 0.5, 0.5])


@pytest.mark.parametrize("func", ALL_FUNCS, ids=NAMES)
def test_empty_input_warns_and_returns_nan(func):
    with pytest.warns(RuntimeWarning, match=rf"stat\.{func.__name__}: empty input"):
        assert math.isnan(_call(func, [], []))


@pytest.mark.parametrize("func", ALL_FUNCS, ids=NAMES)
@pytest.mark.parametrize(
    "bad", [["a", "b"], [1 + 2j, 1.0]], ids=["strings", "complex"]
)
def test_non_numeric_raises_type_error(func, bad):
    with pytest.raises(TypeError, match=r"p must contain real numbers"):
        _call(func, bad, [0.5, 0.5])


@pytest.mark.parametrize("func", PAIR_FUNCS, ids=NAMES[1:])
def test_non_numeric_q_raises_type_error(func):
    with pytest.raises(TypeError, match=r"q must contain real numbers"):
        func([0.5, 0.5], ["a", "b"])


@pytest.mark.parametrize("func", ALL_FUNCS, ids=NAMES)
def test_two_dimensional_input_raises(func):
    with pytest.raises(ValueError, match=r"'p' parameter of stat\.\w+ must be 1-D; got shape \(2, 2\)"):
        _call(func, np.full((2, 2), 0.25), np.full(4, 0.25))


# --- threads --------------------------------------------------------------------------

@pytest.fixture
def restore_threads():
    yield
    numkit.set_num_threads(0)  # back to OpenMP's default


@pytest.mark.parametrize("func", ALL_FUNCS, ids=NAMES)
def test_one_and_two_threads_give_identical_bits(func, restore_threads):
    p, q = _distributions(np.random.default_rng(51), 1_000_000, True)
    numkit.set_num_threads(1)
    one = _call(func, p, q)
    numkit.set_num_threads(2)
    two = _call(func, p, q)
    assert one == two  # deterministic chunked sum: bitwise equal
    assert math.isfinite(one)


# --- properties -----------------------------------------------------------------------

_probabilities = st.lists(
    st.floats(min_value=0.0, max_value=1.0, allow_subnormal=False), min_size=1, max_size=60
)


@st.composite
def _normalised_pairs(draw):
    raw_p = draw(_probabilities)
    raw_q = draw(st.lists(st.floats(min_value=1e-12, max_value=1.0), min_size=len(raw_p),
                          max_size=len(raw_p)))
    p = np.array(raw_p) + 1e-300 * (sum(raw_p) == 0)  # avoid an all-zero p
    q = np.array(raw_q)
    return p / p.sum(), q / q.sum()


@settings(max_examples=150, deadline=None)
@given(_normalised_pairs())
def test_divergence_properties(pq):
    p, q = pq
    n = p.shape[0]
    ent, kl, ce = entropy(p), kullback_leibler(p, q), cross_entropy(p, q)
    js_pq, js_qp = jensen_shannon(p, q), jensen_shannon(q, p)
    abs_terms = np.abs(sc.rel_entr(p, q)).sum() + np.abs(sc.entr(p)).sum() + abs(ce)
    tol = _tol(n, abs_terms, 2.0) + 2 * n * EPS  # + normalisation of p and q
    assert kl >= -tol  # Gibbs' inequality
    assert abs(ce - (ent + kl)) <= 2 * tol  # H(p, q) = H(p) + KL(p || q)
    assert js_pq == js_qp  # symmetric term by term, hence bitwise
    assert -tol <= js_pq <= LN2 + tol
    h = hellinger(p, q)
    assert 0.0 <= h <= 1.0
    d = bhattacharyya(p, q)
    if 1e-4 < h < 1.0:
        # D = -ln(1 - h^2); error of bc (tol) amplified by 1/bc.
        assert abs(d + math.log(1 - h * h)) <= 4 * tol / (1 - h * h)


@settings(max_examples=60, deadline=None)
@given(_normalised_pairs(), st.randoms(use_true_random=False))
def test_permutation_invariance(pq, random):
    p, q = pq
    perm = np.array(random.sample(range(p.shape[0]), p.shape[0]))
    tol = _tol(p.shape[0], np.abs(sc.rel_entr(p, q)).sum(), 2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert abs(kullback_leibler(p[perm], q[perm]) - kullback_leibler(p, q)) <= 2 * tol
