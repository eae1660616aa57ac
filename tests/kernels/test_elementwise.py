"""numkit._kernels._elementwise against numpy over every layout, in place and not.

Each output element of add, sub, mul_elem, div_elem and scale is one IEEE operation,
so it must equal numpy's bit for bit. add_scaled (a + alpha·b) is two operations that
a compiler may fuse into one FMA: it is allowed one rounding of difference per term,
eps·(|a| + |alpha·b|).
"""

import threading

import numpy as np
import pytest
from _kernel_cases import ALL_LAYOUTS, EPS, arrange, padding_intact, readonly, record_field

import numkit
from numkit._kernels import _elementwise

ALPHA = -1.75

# name -> (kernel call with (a, b, out), numpy oracle with (a, b))
OPS = {
    "add": (lambda a, b, o: _elementwise.add(a, b, o), np.add),
    "sub": (lambda a, b, o: _elementwise.sub(a, b, o), np.subtract),
    "mul_elem": (lambda a, b, o: _elementwise.mul_elem(a, b, o), np.multiply),
    "div_elem": (lambda a, b, o: _elementwise.div_elem(a, b, o), np.divide),
    "scale": (lambda a, b, o: _elementwise.scale(ALPHA, a, o), lambda a, b: ALPHA * a),
    "add_scaled": (lambda a, b, o: _elementwise.add_scaled(a, ALPHA, b, o),
                   lambda a, b: a + ALPHA * b),
}


def check(name, got, a, b):
    want = OPS[name][1](a, b)
    if name == "add_scaled":
        assert np.all(np.abs(got - want) <= EPS * (np.abs(a) + np.abs(ALPHA * b)))
    else:
        np.testing.assert_array_equal(got, want)


def operands(shape, seed=0):
    rng = np.random.default_rng(seed)
    # b stays away from zero so div_elem is finite (the IEEE cases are tested apart).
    return rng.normal(size=shape), rng.uniform(0.5, 2.0, size=shape) * rng.choice([-1, 1],
                                                                                 size=shape)


# Operand layout pairs (a, b); each runs with every output layout.
PAIRS = [("C", "C"), ("F", "T"), ("slice", "strided"), ("reversed", "F"), ("slice_F", "C")]


@pytest.mark.parametrize("lout", ALL_LAYOUTS)
@pytest.mark.parametrize("la, lb", PAIRS, ids=["-".join(p) for p in PAIRS])
@pytest.mark.parametrize("name", OPS)
def test_layouts(name, la, lb, lout):
    a0, b0 = operands((5, 7))
    out = arrange(np.zeros((5, 7)), lout)
    OPS[name][0](arrange(a0, la), arrange(b0, lb), out)
    check(name, out, a0, b0)
    assert padding_intact(out)


IN_PLACE = [(name, operand) for name in OPS for operand in ("a", "b")
            if not (name == "scale" and operand == "b")]  # scale has no b


@pytest.mark.parametrize("layout", ALL_LAYOUTS)
@pytest.mark.parametrize("name, operand", IN_PLACE, ids=[f"{n}-out-is-{o}" for n, o in IN_PLACE])
def test_in_place(name, operand, layout):
    a0, b0 = operands((6, 4), seed=1)
    a, b = arrange(a0, layout), arrange(b0, layout)
    out = a if operand == "a" else b
    OPS[name][0](a, b, out)
    check(name, out, a0, b0)
    assert padding_intact(out)


@pytest.mark.parametrize(
    "shape",
    [(0, 0), (0, 5), (5, 0), (1, 1), (1, 9), (9, 1), (300, 200)],
    ids=["0x0", "0x5", "5x0", "1x1", "row", "col", "parallel"],
)
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("name", OPS)
def test_shapes(name, shape, order):
    # 300×200 = 60000 elements is above the parallel threshold (32768).
    a0, b0 = operands(shape, seed=2)
    out = np.zeros(shape, order=order)
    OPS[name][0](a0, b0, out)
    check(name, out, a0, b0)


def test_div_elem_ieee():
    a = np.array([[1.0, -1.0, 0.0, np.inf, np.nan]])
    b = np.array([[0.0, 0.0, 0.0, np.inf, 1.0]])
    out = np.empty_like(a)
    _elementwise.div_elem(a, b, out)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.testing.assert_array_equal(out, a / b)


@pytest.mark.parametrize("name", OPS)
def test_read_only_and_memmap_operands(name, tmp_path):
    a0, b0 = operands((8, 3), seed=3)
    path = tmp_path / "a.bin"
    mm = np.memmap(path, dtype=np.float64, mode="w+", shape=a0.shape)
    mm[...] = a0
    mm.flush()
    a = np.memmap(path, dtype=np.float64, mode="r", shape=a0.shape)
    out = np.memmap(tmp_path / "out.bin", dtype=np.float64, mode="w+", shape=a0.shape)
    OPS[name][0](a, readonly(b0.copy()), out)
    check(name, np.asarray(out), a0, b0)


@pytest.mark.parametrize("name", OPS)
def test_thread_count_does_not_change_results(name, restore_threads):
    a0, b0 = operands((1000, 1000), seed=4)
    outs = []
    for threads in (1, 2):
        numkit.set_num_threads(threads)
        out = np.empty_like(a0)
        OPS[name][0](a0, b0, out)
        outs.append(out)
    np.testing.assert_array_equal(outs[0], outs[1])


def test_add_releases_the_gil_and_threads_agree():
    # Four Python threads add distinct data concurrently; each result equals the one
    # computed alone (exact: one IEEE addition per element).
    rng = np.random.default_rng(5)
    data = [(rng.normal(size=(600, 700)), rng.normal(size=(600, 700))) for _ in range(4)]
    alone = []
    for a, b in data:
        out = np.empty_like(a)
        _elementwise.add(a, b, out)
        alone.append(out)
    outs = [np.empty_like(a) for a, _ in data]
    barrier = threading.Barrier(4)

    def work(i):
        barrier.wait()
        for _ in range(20):
            _elementwise.add(data[i][0], data[i][1], outs[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for got, want in zip(outs, alone, strict=True):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize(
    "a, b, out, error, match",
    [
        (np.ones((2, 3)), np.ones((3, 2)), np.ones((2, 3)), ValueError, "shapes do not match"),
        (np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 2)), ValueError, "shapes do not match"),
        (np.ones((2, 3)), np.ones((2, 3)), readonly(np.ones((2, 3))), ValueError, "read-only"),
        (np.ones((2, 3), np.float32), np.ones((2, 3)), np.ones((2, 3)), TypeError,
         "a must be a 2-D float64 array"),
        (np.ones((2, 3)), np.ones((2, 3), ">f8"), np.ones((2, 3)), TypeError,
         "b must be a 2-D float64 array"),
        (np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3), np.int64), TypeError,
         "out must be a 2-D float64 array"),
        (np.ones(3), np.ones(3), np.ones(3), TypeError, "a must be a 2-D float64 array"),
        (np.ones((2, 3)), np.ones((2, 3)), np.ones((1, 2, 3)), TypeError,
         "out must be a 2-D float64 array"),
        (record_field(2, 3), np.ones((2, 3)), np.ones((2, 3)), ValueError,
         "strides of a must be multiples of 8"),
        (np.ones((2, 3)), np.ones((2, 3)), record_field(2, 3), ValueError,
         "strides of out must be multiples of 8"),
        (None, np.ones((2, 3)), np.ones((2, 3)), TypeError, "bytes-like object"),
        (np.ones((2, 3)), [[1.0, 2.0, 3.0]] * 2, np.ones((2, 3)), TypeError,
         "bytes-like object"),
        (np.ones((2, 3)), np.ones((2, 3)), None, TypeError, "bytes-like object"),
    ],
    ids=["b-shape", "out-shape", "read-only-out", "float32", "big-endian", "int-out",
         "1-D", "3-D-out", "record-a", "record-out", "None-a", "list-b", "None-out"],
)
@pytest.mark.parametrize("name", [n for n in OPS if n != "scale"])
def test_rejects(name, a, b, out, error, match):
    with pytest.raises(error, match=match):
        OPS[name][0](a, b, out)


@pytest.mark.parametrize(
    "a, out, error, match",
    [
        (np.ones((2, 3)), np.ones((3, 2)), ValueError, "shapes do not match"),
        (np.ones((2, 3)), readonly(np.ones((2, 3))), ValueError, "read-only"),
        (np.ones((2, 3), np.float32), np.ones((2, 3)), TypeError, "2-D float64"),
        (np.ones((1, 2, 3)), np.ones((2, 3)), TypeError, "2-D float64"),
        (record_field(2, 3), np.ones((2, 3)), ValueError, "multiples of 8"),
        (None, np.ones((2, 3)), TypeError, "bytes-like object"),
    ],
    ids=["out-shape", "read-only-out", "float32", "3-D", "record-a", "None-a"],
)
def test_scale_rejects(a, out, error, match):
    with pytest.raises(error, match=match):
        _elementwise.scale(2.0, a, out)
