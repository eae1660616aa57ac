"""Benchmark cases for numkit.stat order statistics and histograms.

Each case times numkit against the numpy way of doing the same job on 1e7 float64
values (1e6 with ``quick``). Goals are speedups over the baseline (DESIGN.md).
"""

import numpy as np

from numkit.stat import histogram, median, quantile

P5 = np.array([0.01, 0.25, 0.5, 0.75, 0.99])


def _data(n):
    rng = np.random.default_rng(20240601)
    return {
        "uniform": rng.random(n),
        "normal": rng.standard_normal(n),
        "lognormal(σ=3)": rng.lognormal(0.0, 3.0, n),
    }


def cases(quick: bool) -> list[dict]:
    n = 1_000_000 if quick else 10_000_000
    data = _data(n)
    sizes = f"n={n:.0e}"
    out = []
    for name, x in data.items():
        out.append({
            "area": "stat",
            "name": f"quantile ×5 linear ({name})",
            "sizes": sizes,
            "goal": 3.0,
            "bytes": x.nbytes,
            "numkit": lambda x=x: quantile(x, P5, kind="linear"),
            "baseline": lambda x=x: np.quantile(x, P5),
        })
    x = data["normal"]
    out.append({
        "area": "stat",
        "name": "median (normal)",
        "sizes": sizes,
        "goal": 1.5,
        "bytes": x.nbytes,
        "numkit": lambda: median(x),
        "baseline": lambda: np.median(x),
    })
    out.append({
        "area": "stat",
        "name": "histogram 100 uniform bins (normal)",
        "sizes": sizes,
        "goal": 5.0,
        "bytes": x.nbytes,
        "numkit": lambda: histogram(x, 100),
        "baseline": lambda: np.histogram(x, 100),
    })
    dividers = np.linspace(-6.0, 6.0, 101)
    out.append({
        "area": "stat",
        "name": "histogram 100 explicit dividers (normal)",
        "sizes": sizes,
        "goal": None,
        "bytes": x.nbytes,
        "numkit": lambda: histogram(x, dividers),
        "baseline": lambda: np.histogram(x, dividers),
    })
    return out
