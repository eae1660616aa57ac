"""numkit._kernels._memory.overlap: the receiver/operand overlap test.

The oracle is the definition: 0 when the address ranges are disjoint or either view is
empty, 1 for the same view (same start, shape and strides, size-1 axes aside), 2 for
any other intersection of the ranges (conservative: interleaved views count).
"""

import numpy as np
import pytest

from numkit._kernels import _memory

X = np.arange(60.0).reshape(6, 10)
OTHER = np.arange(60.0).reshape(6, 10)

CASES = {
    "distinct arrays": (X, OTHER, 0),
    "same array": (X, X, 1),
    "same view": (X[1:4, 2:5], X[1:4, 2:5], 1),
    "full slice": (X, X[:], 1),
    "top and bottom halves": (X[:3], X[3:], 0),
    "shifted block": (X[:3, :3], X[1:4, 1:4], 2),
    "transpose": (X[:5, :5], X[:5, :5].T, 2),
    "interleaved columns": (X[:, ::2], X[:, 1::2], 2),
    "row inside block": (X[2], X[1:4], 2),
    "1-D view of 2-D": (X.ravel(), X, 2),
    "reversed": (X, X[::-1, ::-1], 2),
    "empty view": (X[:0], X, 0),
    "both empty": (X[2:2], X[2:2], 0),
    "size-1 axis, other stride": (X[0:1], X[0:1:5], 1),
    "adjacent rows": (X[0], X[1], 0),
    "bytearray view": (memoryview(bytearray(8)), memoryview(bytearray(8)), 0),
}


@pytest.mark.parametrize("x, y, want", CASES.values(), ids=list(CASES))
def test_overlap(x, y, want):
    assert _memory.overlap(x, y) == want
    assert _memory.overlap(y, x) == want  # symmetric


def test_overlap_shared_bytearray():
    buf = bytearray(16)
    view = memoryview(buf)
    assert _memory.overlap(view, view) == 1
    assert _memory.overlap(view[:8], view[4:12]) == 2


@pytest.mark.parametrize(
    "x, y, match",
    [(None, X, "bytes-like object"), (X, [1.0, 2.0], "bytes-like object"),
     (X, 3.0, "bytes-like object")],
    ids=["None", "list", "float"],
)
def test_overlap_rejects_non_buffers(x, y, match):
    with pytest.raises(TypeError, match=match):
        _memory.overlap(x, y)
