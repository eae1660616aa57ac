"""Skip the doctests of the Dask engine when the optional ``dask`` extra is not installed."""

try:
    import dask.dataframe  # noqa: F401
    import distributed  # noqa: F401
except ImportError:
    collect_ignore = ["_dask.py"]
