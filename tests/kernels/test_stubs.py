"""The .pyi stubs describe the compiled kernels: the same public functions, with the
same parameter names, order and defaults as the runtime signatures."""

import ast
import importlib
import inspect
from pathlib import Path

import pytest

import numkit._kernels

KERNEL_DIR = Path(numkit._kernels.__file__).parent
MODULES = [
    "_blas",
    "_clean",
    "_cholesky",
    "_covariance",
    "_density",
    "_divergence",
    "_elementwise",
    "_memory",
    "_moments",
    "_openmp",
    "_order",
    "_parquet",
    "_rank",
    "_reduce",
    "_regression",
    "_solve",
]


def stub_functions(name):
    tree = ast.parse((KERNEL_DIR / f"{name}.pyi").read_text())
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def stub_parameters(node):
    args = node.args.args
    defaults = [None] * (len(args) - len(node.args.defaults)) + node.args.defaults
    return [(a.arg, None if d is None else ast.literal_eval(d))
            for a, d in zip(args, defaults, strict=True)]


def runtime_functions(name):
    module = importlib.import_module(f"numkit._kernels.{name}")
    return {
        attr: obj for attr, obj in vars(module).items()
        if not attr.startswith("_") and callable(obj) and not inspect.isclass(obj)
        and getattr(obj, "__module__", None) == module.__name__
    }


@pytest.mark.parametrize("name", MODULES)
def test_stub_lists_every_public_function(name):
    runtime = runtime_functions(name)
    assert runtime
    assert set(stub_functions(name)) == set(runtime)


@pytest.mark.parametrize("name", MODULES)
def test_stub_signatures_match(name):
    stubs = stub_functions(name)
    for fname, func in runtime_functions(name).items():
        runtime = [(p.name, None if p.default is inspect.Parameter.empty else p.default)
                   for p in inspect.signature(func).parameters.values()]
        assert stub_parameters(stubs[fname]) == runtime, fname
