"""numkit.mat: dense float64 matrices in the style of Gonum's ``mat`` package.
(Package design notes: to be completed.)"""

from numkit.mat._dense import Dense
from numkit.mat._vector import VecDense

__all__ = ["Dense", "VecDense"]
