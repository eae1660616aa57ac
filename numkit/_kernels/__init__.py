"""Cython kernels: loops, reductions and BLAS/LAPACK calls. Private; nothing here
imports from the rest of numkit. See DESIGN.md, "numkit._kernels"."""
