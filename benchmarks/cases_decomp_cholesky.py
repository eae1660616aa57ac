"""Benchmark cases for numkit.mat.Cholesky (area "decomp").

``factorize`` (with the NaN/symmetry scan; the dpocon condition estimate is made on
first use, by a solve or ``cond``) against
``scipy.linalg.cholesky(check_finite=False)``; ``sym_rank_one`` (O(n²)) against
refactorizing the updated matrix with ``factorize`` (O(n³)). Goals from issue 3.
"""

import numpy as np
import scipy.linalg as sl

from numkit.mat import Cholesky


def _spd(n):
    rng = np.random.default_rng(20240601)
    g = rng.standard_normal((n, n))
    return g @ g.T + n * np.eye(n)


def cases(quick: bool) -> list[dict]:
    n = 300 if quick else 1000
    a = _spd(n)
    x = np.random.default_rng(1).standard_normal(n) * 1e-3
    chol = Cholesky()
    chol.factorize(a)
    updated = Cholesky()
    updated.factorize(a)
    refactor = Cholesky()
    target = a + np.outer(x, x)
    sizes = f"n={n}"
    return [
        {
            "area": "decomp",
            "name": "Cholesky.factorize (ndarray)",
            "sizes": sizes,
            "goal": 0.9,
            "numkit": lambda: chol.factorize(a),
            "baseline": lambda: sl.cholesky(a, check_finite=False),
        },
        {
            "area": "decomp",
            "name": "Cholesky.sym_rank_one vs refactorizing",
            "sizes": sizes,
            "goal": 20.0,
            # In place; A grows by x xᵀ (‖x‖ ≈ 0.03) per call, staying well conditioned.
            "numkit": lambda: updated.sym_rank_one(updated, 1.0, x),
            "baseline": lambda: refactor.factorize(target),
        },
    ]
