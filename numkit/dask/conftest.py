"""Skip this package's doctests when the optional ``dask`` extra is not installed."""

try:
    import dask.array  # noqa: F401
except ImportError:
    collect_ignore_glob = ["_[a-z]*.py"]
