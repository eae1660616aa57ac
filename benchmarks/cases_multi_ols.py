"""Benchmark cases for numkit.stat.ols against numpy's lstsq (area "multi").

The baseline builds the design with its intercept column, as a numpy user must, and
calls ``np.linalg.lstsq`` (LAPACK dgelsd): parameters only. numkit's ``ols`` also
returns standard errors, residuals, R², and refines the solution with compensated
residuals (it is the one that passes NIST's Filip and Wampler sets).
"""

import numpy as np

from numkit.stat import ols


def cases(quick: bool) -> list[dict]:
    n, k = (20_000, 20) if quick else (100_000, 20)
    rng = np.random.default_rng(20240601)
    x = rng.standard_normal((n, k))
    y = 1.0 + x @ rng.standard_normal(k) + rng.standard_normal(n)
    return [{
        "area": "multi",
        "name": "ols (params, SEs, R², residuals) vs lstsq",
        "sizes": f"{n}×{k}",
        "goal": 1.0,
        "numkit": lambda: ols(x, y),
        "baseline": lambda: np.linalg.lstsq(np.column_stack([np.ones(n), x]), y, rcond=None),
    }]
