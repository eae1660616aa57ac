"""numkit._kernels._openmp: the thread-count control behind numkit.set_num_threads."""

import os

import pytest

import numkit
from numkit._kernels import _openmp


def test_public_names_are_the_kernel_functions():
    assert numkit.set_num_threads is _openmp.set_num_threads
    assert numkit.get_num_threads is _openmp.get_num_threads
    assert numkit.has_openmp is _openmp.has_openmp


@pytest.mark.parametrize("n", [1, 2, 3, 17])
def test_set_then_get(n, restore_threads):
    numkit.set_num_threads(n)
    assert numkit.get_num_threads() == n


def test_zero_restores_the_openmp_default(restore_threads):
    numkit.set_num_threads(5)
    numkit.set_num_threads(0)
    got = numkit.get_num_threads()
    if not numkit.has_openmp():
        assert got == 1
    elif "OMP_NUM_THREADS" in os.environ:
        assert got == int(os.environ["OMP_NUM_THREADS"].split(",")[0])
    else:
        # OpenMP's default is one thread per available processor.
        assert got == len(os.sched_getaffinity(0))


def test_has_openmp_is_a_bool():
    assert isinstance(numkit.has_openmp(), bool)


@pytest.mark.parametrize(
    "n, error, match",
    [(-1, ValueError, "n must be >= 0; got -1"), ("2", TypeError, "integer"),
     (2.5, TypeError, "integer")],
    ids=["negative", "str", "float"],
)
def test_set_num_threads_rejects(n, error, match, restore_threads):
    with pytest.raises(error, match=match):
        numkit.set_num_threads(n)
