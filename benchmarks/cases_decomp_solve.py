"""Benchmark cases for numkit.mat solves: Dense.solve (with the condition estimate
numpy does not compute), Dense.inverse, det, and LU.rank_one against refactoring.

Goals (issue 3): solve 1000×1000 with 10 right-hand sides ≥ 0.9× np.linalg.solve;
3×3 solve into a receiver ≥ 1.0× np.linalg.solve.
"""

import numpy as np
import scipy.linalg as sla

from numkit.mat import LU, Dense, det


def cases(quick: bool) -> list[dict]:
    rng = np.random.default_rng(20240603)
    out = []

    n = 500 if quick else 1000
    a = rng.standard_normal((n, n))
    b = rng.standard_normal((n, 10))
    A, B, X = Dense.from_array(a), Dense.from_array(b), Dense(n, 10)
    out.append({
        "area": "decomp",
        "name": "Dense.solve + condition estimate (10 rhs)",
        "sizes": f"{n}×{n}",
        "goal": 0.9,
        "numkit": lambda: X.solve(A, B),
        "baseline": lambda: np.linalg.solve(a, b),
    })

    a3, b3 = rng.standard_normal((3, 3)), rng.standard_normal((3, 1))
    A3, B3, X3 = Dense.from_array(a3), Dense.from_array(b3), Dense(3, 1)
    out.append({
        "area": "decomp",
        "name": "Dense.solve into a receiver",
        "sizes": "3×3",
        "goal": 1.0,
        "numkit": lambda: X3.solve(A3, B3),
        "baseline": lambda: np.linalg.solve(a3, b3),
    })

    m = 300 if quick else 500
    am = rng.standard_normal((m, m)) / np.sqrt(m)  # det stays in float range
    Am, Im = Dense.from_array(am), Dense(m, m)
    out.append({
        "area": "decomp",
        "name": "Dense.inverse + condition estimate",
        "sizes": f"{m}×{m}",
        "goal": None,
        "numkit": lambda: Im.inverse(Am),
        "baseline": lambda: np.linalg.inv(am),
    })
    out.append({
        "area": "decomp",
        "name": "det",
        "sizes": f"{m}×{m}",
        "goal": None,
        "numkit": lambda: det(am),
        "baseline": lambda: np.linalg.det(am),
    })

    x, y = rng.standard_normal(n), rng.standard_normal(n)
    orig, upd = LU(), LU()
    orig.factorize(a)
    target = a + 0.5 * np.outer(x, y)
    out.append({
        "area": "decomp",
        "name": "LU.rank_one vs refactoring A + αxyᵀ",
        "sizes": f"{n}×{n}",
        "goal": None,
        "numkit": lambda: upd.rank_one(orig, 0.5, x, y),
        "baseline": lambda: sla.lu_factor(target, check_finite=False),
    })
    return out
