"""Benchmark cases for numkit.mat's spectral decompositions (SVD, EigenSym, Eigen, QR).

Each case times a numkit decomposition, including copying its factors out as new
matrices, against numpy's function returning the same factors. Goals from the
decompositions issue: EigenSym n=500 with vectors and the thin SVD of a 500×500
matrix at ≥ 0.9× numpy (both call the same kind of LAPACK driver).
"""

import numpy as np

from numkit.mat import QR, SVD, Eigen, EigenSym, SymDense


def cases(quick: bool) -> list[dict]:
    n = 200 if quick else 500
    rng = np.random.default_rng(20240602)
    a = rng.standard_normal((n, n))
    s = SymDense.from_array(a + a.T)
    s_array = np.asarray(s)
    tall = rng.standard_normal((2 * n, n // 2))
    svd, eig_sym, eig, qr = SVD(), EigenSym(), Eigen(), QR()

    def svd_thin():
        svd.factorize(a, kind="thin")
        return svd.u(), svd.values(), svd.v()

    def eigen_sym():
        eig_sym.factorize(s)
        return eig_sym.values(), eig_sym.vectors()

    def eigen_general():
        eig.factorize(a)
        return eig.values(), eig.vectors()

    def qr_thin():
        qr.factorize(tall)
        return qr.q(thin=True), qr.r(thin=True)

    return [
        {"area": "decomp", "name": "SVD thin (U, s, V)", "sizes": f"{n}×{n}", "goal": 0.9,
         "numkit": svd_thin,
         "baseline": lambda: np.linalg.svd(a, full_matrices=False)},
        {"area": "decomp", "name": "EigenSym with vectors", "sizes": f"n={n}", "goal": 0.9,
         "numkit": eigen_sym, "baseline": lambda: np.linalg.eigh(s_array)},
        {"area": "decomp", "name": "Eigen right vectors", "sizes": f"n={n}", "goal": None,
         "numkit": eigen_general, "baseline": lambda: np.linalg.eig(a)},
        {"area": "decomp", "name": "QR thin (Q, R)", "sizes": f"{2 * n}×{n // 2}",
         "goal": None, "numkit": qr_thin,
         "baseline": lambda: np.linalg.qr(tall, mode="reduced")},
    ]
