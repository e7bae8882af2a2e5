"""``import compindex`` stays light: the heavy optional libraries are imported inside the functions using them.

Measured here with ``python -X importtime`` (after numpy and pandas): sklearn.impute 2.6 s, scipy.stats 2.5 s,
SALib.analyze.sobol 1.9 s, scipy.optimize 0.9 s, scipy.special 0.5 s, against 0.3 s for all of ``import compindex``
(pandas included). The web process imports compindex on every start; only the build needs these libraries.
"""
from __future__ import annotations

import json
import subprocess
import sys

LAZY = ("sklearn", "SALib", "scipy")


def loaded_after(statement: str) -> list[str]:
    """Top-level packages of :data:`LAZY` in ``sys.modules`` after running ``statement`` in a fresh interpreter."""
    code = (f"import json, sys\n{statement}\n"
            f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(LAZY)!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_import_compindex_loads_no_heavy_library():
    assert loaded_after("import compindex, compindex.audit, compindex.uncertainty, compindex.panel") == []


def test_the_check_sees_an_eager_import():
    # The same check on a statement that does import one of them: it must report it.
    assert loaded_after("import compindex, scipy.special") == ["scipy"]
