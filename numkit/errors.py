"""Every error and warning numkit raises, in one place (as Gonum's ``mat/errors.go``).

All exceptions derive from :class:`NumkitError` and also from the builtin class a
numpy/scipy user would catch (``ValueError`` for bad arguments,
``numpy.linalg.LinAlgError`` for failed factorizations), so code written for numpy keeps
working.

Messages name the function, the argument and the shapes, and say what would be
accepted::

    mul: a is 3×4 but b is 5×2 (inner dimensions 4 and 5 differ)
"""

from __future__ import annotations

from numpy.linalg import LinAlgError

__all__ = [
    "AliasingError",
    "ConditionError",
    "ConditionWarning",
    "ConvergenceError",
    "DataError",
    "NotPositiveDefiniteError",
    "NumkitError",
    "ShapeError",
    "SingularError",
]


class NumkitError(Exception):
    """Base class of every exception raised by numkit."""


class ShapeError(NumkitError, ValueError):
    """Operand shapes do not fit the operation, or a receiver has the wrong shape.

    Gonum panics with ``mat: dimension mismatch`` (``ErrShape``); numkit names both
    shapes.
    """


class AliasingError(NumkitError, ValueError):
    """A receiver overlaps an operand in a way the operation cannot handle.

    Gonum panics with ``mat: aliasing``/``mat: bad region: overlap``. Operations that
    are safe in place (elementwise arithmetic with the receiver *equal* to an operand)
    never raise it.
    """


class DataError(NumkitError, ValueError):
    """Bad input data, located by ``path``, ``line`` and ``column`` where known."""

    def __init__(self, message: str, *, path=None, line=None, column=None):
        where = []
        if path is not None:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __reduce__(self):
        # keyword-only arguments are not restored by BaseException's pickling; a
        # DataError raised on a Dask worker must reach the client with its location
        return _rebuild_data_error, (self.message, self.path, self.line, self.column)


def _rebuild_data_error(message, path, line, column) -> DataError:
    return DataError(message, path=path, line=line, column=column)


class SingularError(NumkitError, LinAlgError):
    """The matrix is exactly singular (a zero pivot), so the result does not exist."""


class NotPositiveDefiniteError(NumkitError, LinAlgError):
    """A Cholesky factorization or downdate met a non-positive pivot."""


class ConvergenceError(NumkitError, LinAlgError):
    """An iterative LAPACK routine (dgesdd, dgeev, dsyevr) did not converge.

    Gonum's ``Factorize`` returns ``ok == false`` in this case.
    """


class ConditionError(NumkitError, LinAlgError):
    """Raised instead of :class:`ConditionWarning` under ``errstate(condition="raise")``.

    ``condition`` holds the estimated condition number.
    """

    def __init__(self, message: str, condition: float):
        super().__init__(message)
        self.condition = condition

    def __reduce__(self):
        return type(self), (self.args[0], self.condition)


class ConditionWarning(RuntimeWarning):
    """The result was computed but the problem is ill-conditioned.

    Emitted when the estimated condition number exceeds 1e16 (Gonum's
    ``ConditionTolerance``); ``condition`` holds the estimate. Control it with
    :func:`numkit.errstate`.
    """

    def __init__(self, message: str, condition: float):
        super().__init__(message)
        self.condition = condition

    def __reduce__(self):
        return type(self), (self.args[0], self.condition)
