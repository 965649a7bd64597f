"""Build the optional C extension ``leakscan._kernels`` (the rest is in pyproject.toml).

``optional=True``: on a machine without a C compiler or the Python headers the build of the
extension fails with a warning and leakscan installs without it; it then validates in SQL
(same counts, slower; the report's ``provenance.validation`` says which path ran).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("leakscan._kernels", ["leakscan/_kernels.c"], optional=True,
                             extra_compile_args=["-O2", "-std=c99", "-Wall"])])
