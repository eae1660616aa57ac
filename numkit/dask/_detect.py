"""Recognising a dask array without importing dask (so numkit.stat can ask cheaply)."""

from __future__ import annotations

import sys

__all__ = ["is_dask_array"]


def is_dask_array(x: object) -> bool:
    """Whether ``x`` is a ``dask.array.Array``, without importing dask.

    If ``dask.array`` was never imported, no object can be a dask array, so the
    check costs one dictionary lookup and works when dask is not installed: it is
    meant for the top of numkit's public statistics, to send dask input here.

    Parameters
    ----------
    x : object

    Returns
    -------
    bool

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.dask import is_dask_array
    >>> is_dask_array(np.zeros(3))
    False
    """
    module = sys.modules.get("dask.array")
    return module is not None and isinstance(x, module.Array)
