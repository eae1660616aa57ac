"""numkit.datasets: small real data sets shipped with numkit, loaded without network.

Each data set is a CSV file (header row, comma-separated) under
``numkit/datasets/data/`` installed as package data; a loader returns a
:class:`Dataset` with the values as an n×p float64 array, the column names, a
one-line description and the source.

Data sets
---------
``longley``
    NIST StRD's Longley (1967) macroeconomic data, 16 × 7: the response (total
    derived employment) and six predictors; NIST certifies its regression.
``faithful``
    Old Faithful geyser eruptions, 272 × 2: eruption time and waiting time to the
    next eruption, in minutes (R's ``faithful``).

Examples
--------
>>> from numkit import datasets
>>> datasets.list_datasets()
('faithful', 'longley')
>>> d = datasets.load_faithful()
>>> d.data.shape, d.names
((272, 2), ('eruptions', 'waiting'))
"""

from __future__ import annotations

import dataclasses
from importlib import resources

import numpy as np

__all__ = ["Dataset", "list_datasets", "load_faithful", "load_longley"]


@dataclasses.dataclass(frozen=True, eq=False)
class Dataset:
    """A bundled data set.

    Attributes
    ----------
    name : str
    names : tuple of str
        Column names.
    data : numpy.ndarray
        n×p float64 values (rows are observations).
    description : str
        One line on what it is.
    source : str
        Where the values come from.
    path : str
        The installed CSV file (for ``numkit run`` or ``pipeline.read_csv``).
    """

    name: str
    names: tuple[str, ...]
    data: np.ndarray
    description: str
    source: str
    path: str


_INFO = {
    "longley": (
        "Longley's US macroeconomic data 1947-1962: total derived employment (NIST's y) and "
        "the GNP implicit price deflator, GNP, unemployed, armed forces, non-institutional "
        "population >= 14 and year (NIST's x1..x6)",
        "NIST Statistical Reference Datasets, Longley.dat (public domain); Longley, J. W. "
        "(1967), JASA 62, 819-841"),
    "faithful": (
        "Old Faithful geyser, Yellowstone: eruption time and waiting time to the next "
        "eruption, in minutes",
        "R's datasets::faithful; Härdle, W. (1991), Smoothing Techniques with "
        "Implementation in S, Springer; Azzalini, A. and Bowman, A. W. (1990), "
        "Applied Statistics 39, 357-365"),
}


def list_datasets() -> tuple[str, ...]:
    """The names of the bundled data sets, sorted.

    Examples
    --------
    >>> list_datasets()
    ('faithful', 'longley')
    """
    return tuple(sorted(_INFO))


def _load(name: str) -> Dataset:
    resource = resources.files(__name__).joinpath("data", f"{name}.csv")
    with resources.as_file(resource) as path:
        with open(path, encoding="utf-8") as f:
            header = f.readline().strip().split(",")
        data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
        description, source = _INFO[name]
        return Dataset(name=name, names=tuple(header), data=data, description=description,
                       source=source, path=str(path))


def load_longley() -> Dataset:
    """NIST's Longley data: 16 rows; ``employment`` (NIST's y), ``gnp_deflator``,
    ``gnp``, ``unemployed``, ``armed_forces``, ``population``, ``year`` (x1..x6).

    Examples
    --------
    >>> d = load_longley()
    >>> d.data.shape, d.names[0], float(d.data[0, 0])
    ((16, 7), 'employment', 60323.0)
    """
    return _load("longley")


def load_faithful() -> Dataset:
    """The Old Faithful geyser data: 272 rows; ``eruptions`` and ``waiting`` (minutes).

    Examples
    --------
    >>> d = load_faithful()
    >>> round(float(d.data[:, 1].mean()), 5)
    70.89706
    """
    return _load("faithful")
