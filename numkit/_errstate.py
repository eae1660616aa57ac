"""Thread-local handling of condition-number warnings (``numkit.errstate``)."""

from __future__ import annotations

import contextlib
import threading
import warnings
from collections.abc import Iterator

from numkit.errors import ConditionError, ConditionWarning

__all__ = ["errstate", "geterr", "report_condition"]

_MODES = ("warn", "raise", "ignore")
_state = threading.local()


def geterr() -> dict[str, str]:
    """Return the current thread's error handling, e.g. ``{"condition": "warn"}``."""
    return {"condition": getattr(_state, "condition", "warn")}


@contextlib.contextmanager
def errstate(*, condition: str) -> Iterator[None]:
    """Set how ill-conditioned results are reported, for this thread, inside a ``with``.

    Parameters
    ----------
    condition : {"warn", "raise", "ignore"}
        ``"warn"`` (the default outside any ``errstate``) emits
        :class:`~numkit.errors.ConditionWarning`; ``"raise"`` raises
        :class:`~numkit.errors.ConditionError`; ``"ignore"`` says nothing.

    Raises
    ------
    ValueError
        If ``condition`` is not one of the three modes.

    Examples
    --------
    >>> import numkit
    >>> with numkit.errstate(condition="ignore"):
    ...     numkit.geterr()
    {'condition': 'ignore'}
    >>> numkit.geterr()
    {'condition': 'warn'}
    """
    if condition not in _MODES:
        raise ValueError(
            f"errstate: condition must be one of {', '.join(map(repr, _MODES))}; "
            f"got {condition!r}"
        )
    previous = getattr(_state, "condition", "warn")
    _state.condition = condition
    try:
        yield
    finally:
        _state.condition = previous


def report_condition(operation: str, condition: float, stacklevel: int = 3) -> None:
    """Warn, raise or stay silent about an ill-conditioned result, per :func:`errstate`."""
    mode = getattr(_state, "condition", "warn")
    if mode == "ignore":
        return
    message = (
        f"{operation}: matrix is ill-conditioned (condition number estimate "
        f"{condition:.3g} > 1e16); the result may have no correct digits"
    )
    if mode == "raise":
        raise ConditionError(message, condition)
    warnings.warn(ConditionWarning(message, condition), stacklevel=stacklevel)
