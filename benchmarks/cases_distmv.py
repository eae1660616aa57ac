"""Benchmark cases for numkit.stat.distmv against scipy.stats' multivariate
distributions: log-densities of many points (one triangular solve in numkit) and
sampling. No speed goal is set (issue 6)."""

import numpy as np
from scipy import stats

from numkit.stat.distmv import Normal, StudentsT


def cases(quick: bool) -> list[dict]:
    d = 10
    n = 10_000 if quick else 100_000
    rng = np.random.default_rng(20240602)
    a = rng.standard_normal((d, d))
    sigma = a @ a.T + d * np.eye(d)
    mu = rng.standard_normal(d)
    x = rng.multivariate_normal(mu, sigma, n)
    normal = Normal(mu, sigma)
    normal_sp = stats.multivariate_normal(mu, sigma)
    t = StudentsT(mu, sigma, 5.0)
    t_sp = stats.multivariate_t(mu, sigma, df=5.0)
    sizes = f"n={n:.0e}, d={d}"
    return [
        {"area": "distmv", "name": "Normal.log_prob", "sizes": sizes, "goal": None,
         "numkit": lambda: normal.log_prob(x), "baseline": lambda: normal_sp.logpdf(x)},
        {"area": "distmv", "name": "StudentsT.log_prob", "sizes": sizes, "goal": None,
         "numkit": lambda: t.log_prob(x), "baseline": lambda: t_sp.logpdf(x)},
        {"area": "distmv", "name": "Normal.rand", "sizes": sizes, "goal": None,
         "numkit": lambda: normal.rand(n, rng=1),
         "baseline": lambda: normal_sp.rvs(n, random_state=np.random.default_rng(1))},
    ]
