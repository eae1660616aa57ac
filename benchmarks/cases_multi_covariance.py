"""Benchmark cases for numkit.stat covariance/correlation matrices and Kendall's tau.

Goals (issue 5): covariance_matrix and correlation_matrix of 200000×50 at least 2× numpy's
``cov``/``corrcoef``; Kendall's tau of n=20000 at least as fast as scipy's ``kendalltau``.
"""

import numpy as np
import scipy.stats

from numkit.stat import correlation_matrix, covariance_matrix, kendall


def cases(quick: bool) -> list[dict]:
    rng = np.random.default_rng(20240605)
    n = 50_000 if quick else 200_000
    X = rng.standard_normal((n, 50))
    w = rng.random(n)
    m = 5_000 if quick else 20_000
    x = rng.standard_normal(m)
    y = 0.5 * x + rng.standard_normal(m)
    sizes = f"{n}×50"
    return [
        {"area": "multi", "name": "covariance_matrix", "sizes": sizes, "goal": 2.0,
         "numkit": lambda: covariance_matrix(X),
         "baseline": lambda: np.cov(X, rowvar=False)},
        {"area": "multi", "name": "correlation_matrix", "sizes": sizes, "goal": 2.0,
         "numkit": lambda: correlation_matrix(X),
         "baseline": lambda: np.corrcoef(X, rowvar=False)},
        {"area": "multi", "name": "covariance_matrix weighted", "sizes": sizes, "goal": None,
         "numkit": lambda: covariance_matrix(X, weights=w),
         "baseline": lambda: np.cov(X, rowvar=False, aweights=w)},
        {"area": "multi", "name": "kendall tau-b", "sizes": f"n={m}", "goal": 1.0,
         "numkit": lambda: kendall(x, y, variant="b"),
         "baseline": lambda: scipy.stats.kendalltau(x, y)},
    ]
