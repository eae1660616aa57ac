"""Build numkit's Cython kernels.

The extensions and the Cython directives are listed here, once. OpenMP is detected by
compiling and linking a small test program with the compiler setuptools will use; when
that fails the kernels are built without it (``prange`` then runs serially) and the
build still succeeds.
"""

import os
import sys
import tempfile
import textwrap

from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

KERNELS = [
    "_openmp",
    "_blas",
    "_elementwise",
    "_reduce",
    "_memory",
    "_moments",
    "_order",
    "_divergence",
    "_cholesky",
    "_solve",
    "_covariance",
    "_rank",
    "_regression",
    "_density",
    "_distuv",
    "_clean",
    "_parquet",
]

DIRECTIVES = {
    "language_level": 3,
    "boundscheck": False,
    "wraparound": False,
    "cdivision": True,
    "initializedcheck": False,
    "embedsignature": True,
}

OPENMP_TEST = textwrap.dedent(
    """
    #include <omp.h>
    int main(void) {
        int n = 0;
        #pragma omp parallel reduction(+:n)
        n += 1;
        return n > 0 ? 0 : 1;
    }
    """
)


def _compiler_has_openmp(compiler, flag):
    """Compile and link OPENMP_TEST with ``flag``; True when both succeed."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "check_openmp.c")
        with open(src, "w") as f:
            f.write(OPENMP_TEST)
        try:
            objects = compiler.compile([src], output_dir=tmp, extra_postargs=[flag])
            compiler.link_executable(
                objects, "check_openmp", output_dir=tmp, extra_postargs=[flag]
            )
        except Exception:
            return False
    return True


class BuildExt(build_ext):
    def build_extensions(self):
        flag = "/openmp" if self.compiler.compiler_type == "msvc" else "-fopenmp"
        if os.environ.get("NUMKIT_NO_OPENMP"):
            openmp = False
        else:
            openmp = _compiler_has_openmp(self.compiler, flag)
        if not openmp:
            print("numkit: OpenMP not available; kernels are built serial", file=sys.stderr)
        for ext in self.extensions:
            if self.compiler.compiler_type != "msvc":
                ext.extra_compile_args += ["-O3", "-Wno-unused-function"]
            if openmp:
                ext.extra_compile_args.append(flag)
                ext.extra_link_args.append(flag)
        super().build_extensions()


extensions = [
    Extension(f"numkit._kernels.{name}", [f"numkit/_kernels/{name}.pyx"])
    for name in KERNELS
]

setup(
    ext_modules=cythonize(extensions, compiler_directives=DIRECTIVES),
    cmdclass={"build_ext": BuildExt},
)
