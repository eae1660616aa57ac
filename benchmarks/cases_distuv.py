"""Benchmark cases for numkit.stat.distuv against frozen scipy.stats distributions.

The scalar cases time one call on an object created beforehand (numkit's lean path
against scipy's ~20 µs frozen-distribution call); the array case evaluates the
Gamma log-density at 1e6 points (1e5 with ``quick``). Goals: DESIGN.md / issue 6.
"""

import numpy as np
from scipy import stats

from numkit.stat.distuv import Gamma, Normal, Poisson, StudentsT


def cases(quick: bool) -> list[dict]:
    normal = Normal(0.5, 2.0)
    normal_sp = stats.norm(0.5, 2.0)
    t = StudentsT(0.0, 1.0, 7.0)
    t_sp = stats.t(7.0)
    poisson = Poisson(12.5)
    poisson_sp = stats.poisson(12.5)
    n = 100_000 if quick else 1_000_000
    x = np.random.default_rng(20240601).gamma(3.0, 0.5, n)
    gamma = Gamma(3.0, 2.0)
    gamma_sp = stats.gamma(3.0, scale=0.5)
    return [
        {"area": "distuv", "name": "Normal.cdf scalar", "sizes": "1", "goal": 20.0,
         "numkit": lambda: normal.cdf(0.3), "baseline": lambda: normal_sp.cdf(0.3)},
        {"area": "distuv", "name": "StudentsT.quantile scalar", "sizes": "1", "goal": 20.0,
         "numkit": lambda: t.quantile(0.975), "baseline": lambda: t_sp.ppf(0.975)},
        {"area": "distuv", "name": "Poisson.quantile scalar", "sizes": "1", "goal": None,
         "numkit": lambda: poisson.quantile(0.9), "baseline": lambda: poisson_sp.ppf(0.9)},
        {"area": "distuv", "name": "Gamma.log_prob array", "sizes": f"n={n:.0e}",
         "goal": 1.0, "numkit": lambda: gamma.log_prob(x),
         "baseline": lambda: gamma_sp.logpdf(x)},
        {"area": "distuv", "name": "Normal.cdf array", "sizes": f"n={n:.0e}",
         "goal": None, "numkit": lambda: normal.cdf(x),
         "baseline": lambda: normal_sp.cdf(x)},
    ]
