"""Fail early, with one clear line, on a Python older than the project needs."""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 - this script exists to check it
    sys.exit(
        f"Flashpoint needs Python >= 3.11; `{sys.executable}` is {sys.version.split()[0]}. "
        "Run `make PYTHON=python3.11 ...` with a newer interpreter."
    )
