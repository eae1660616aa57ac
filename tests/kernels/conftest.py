"""Fixtures for the kernel tests; the operand layouts live in ``_kernel_cases``."""

import sys
from pathlib import Path

import pytest

import numkit

# Let the test modules import their shared helper module (pytest runs with
# --import-mode=importlib, which does not put test directories on sys.path).
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def restore_threads():
    """Yield, then put the kernels' thread count back as it was."""
    before = numkit.get_num_threads()
    yield
    numkit.set_num_threads(before)
