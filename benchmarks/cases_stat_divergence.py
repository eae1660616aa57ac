"""Benchmark cases: numkit.stat's divergences against scipy.special's elementwise way.

scipy's way builds a temporary of n terms (``rel_entr(p, q)``, ``entr(p)``) and then
sums it; numkit reads p and q once, in parallel, with no temporary.
"""

from __future__ import annotations

import numpy as np
import scipy.special

from numkit.stat import entropy, kullback_leibler


def cases(quick: bool) -> list[dict]:
    n = 1_000_000 if quick else 10_000_000
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(n))
    q = rng.dirichlet(np.ones(n))
    sizes = f"n={n:.0e}"
    return [
        {
            "area": "stat",
            "name": "kullback_leibler",
            "sizes": sizes,
            "goal": 5.0,
            "bytes": p.nbytes + q.nbytes,
            "numkit": lambda: kullback_leibler(p, q),
            "baseline": lambda: scipy.special.rel_entr(p, q).sum(),
        },
        {
            "area": "stat",
            "name": "entropy",
            "sizes": sizes,
            "goal": 2.0,
            "bytes": p.nbytes,
            "numkit": lambda: entropy(p),
            "baseline": lambda: scipy.special.entr(p).sum(),
        },
    ]
