"""A first look at numkit: matrices with receivers and views, and the kernels' speed.

Run it with ``python examples/tour.py`` after ``pip install .``.
"""

import numpy as np

import numkit
from numkit import mat
from numkit.errors import AliasingError, ShapeError


def main() -> None:
    print(f"numkit {numkit.__version__}: OpenMP {numkit.has_openmp()}, "
          f"{numkit.get_num_threads()} threads\n")

    # Gonum-style receivers: c.mul(a, b) writes a @ b into c and allocates nothing.
    a = mat.Dense(2, 3, [1, 2, 3, 4, 5, 6])
    c = mat.Dense()                     # empty: takes the result's shape
    c.mul(a, a.T())                     # a.T() is a view, not a copy
    print("a aᵀ = " + mat.formatted(c, prefix="      "))

    # Views share memory and can be receivers.
    m = mat.Dense(3, 3)
    top_left = m.slice(0, 2, 0, 2)
    top_left.add(np.ones((2, 2)), np.eye(2))
    print("\nm after writing through its 2×2 slice:")
    print(mat.formatted(m))

    # Errors name the shapes; aliasing is refused instead of returning garbage.
    try:
        c.mul(a, a)
    except ShapeError as err:
        print(f"\nShapeError: {err}")
    try:
        m.slice(0, 2, 0, 2).add(m.slice(1, 3, 1, 3), np.eye(2))
    except AliasingError as err:
        print(f"AliasingError: {err}")

    # Norms: 2 is the spectral norm (as numpy); Gonum's Norm(a, 2) is "fro" here.
    print(f"\n‖a‖₂ = {mat.norm(a, 2):.6f}, ‖a‖_F = {mat.norm(a, 'fro'):.6f}, "
          f"‖a‖₁ = {mat.norm(a, 1):g}, ‖a‖∞ = {mat.norm(a, np.inf):g}")

    # Structured types keep their structure.
    s = mat.SymDense(3)
    s.sym_outer(2.0, [1, 2, 3])
    print("\nSymDense 2 x xᵀ:")
    print(mat.formatted(s))
    e = mat.Dense()
    e.exp([[0, -np.pi / 2], [np.pi / 2, 0]])
    print("\nexp of a rotation generator (a quarter turn):")
    print(mat.formatted(e, fmt=".3f"))


if __name__ == "__main__":
    main()
