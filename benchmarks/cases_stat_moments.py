"""Benchmark cases: numkit.stat's moments against numpy/scipy.

numpy's ``var`` makes a temporary of deviations and reads memory several times;
``np.average``-based weighted variance makes four temporaries; scipy's skew and
kurtosis each recompute the mean and powers. numkit reads the data once (a
cache-blocked two-pass), in parallel, with no temporaries.
"""

from __future__ import annotations

import numpy as np
import scipy.stats

from numkit.stat import ex_kurtosis, mean_std_dev, mean_variance, skew, variance


def cases(quick: bool) -> list[dict]:
    n = 1_000_000 if quick else 10_000_000
    rng = np.random.default_rng(0)
    x = rng.standard_normal(n)
    w = rng.random(n)
    sizes = f"n={n:.0e}"

    def weighted_baseline():
        m = np.average(x, weights=w)
        return m, np.sum(w * (x - m) ** 2) / (w.sum() - 1)

    return [
        {
            "area": "stat",
            "name": "variance",
            "sizes": sizes,
            "goal": 4.0,
            "bytes": x.nbytes,
            "numkit": lambda: variance(x),
            "baseline": lambda: x.var(ddof=1),
        },
        {
            "area": "stat",
            "name": "mean_std_dev",
            "sizes": sizes,
            "goal": 4.0,
            "bytes": x.nbytes,
            "numkit": lambda: mean_std_dev(x),
            "baseline": lambda: (x.mean(), x.std(ddof=1)),
        },
        {
            "area": "stat",
            "name": "mean_variance (weighted)",
            "sizes": sizes,
            "goal": 8.0,
            "bytes": x.nbytes + w.nbytes,
            "numkit": lambda: mean_variance(x, w),
            "baseline": weighted_baseline,
        },
        {
            "area": "stat",
            "name": "skew + ex_kurtosis",
            "sizes": sizes,
            "goal": 4.0,
            "bytes": 2 * x.nbytes,  # two calls, one read each
            "numkit": lambda: (skew(x), ex_kurtosis(x)),
            "baseline": lambda: (scipy.stats.skew(x, bias=False),
                                 scipy.stats.kurtosis(x, bias=False)),
        },
    ]
