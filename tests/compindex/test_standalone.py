"""compindex is a library of its own: it must never import Django (DESIGN.md §4)."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parents[2] / "compindex"


def test_compindex_source_has_no_django_import():
    offenders = []
    for file in PKG.rglob("*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{file.name}:{node.lineno} {n}" for n in names if n.split(".")[0] in {"django", "dtforum"}]
    assert offenders == []


def test_importing_compindex_loads_no_django():
    code = "import sys, compindex; import pkgutil; " \
           "[__import__(m.name) for m in pkgutil.walk_packages(compindex.__path__, 'compindex.')]; " \
           "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'dtforum')]; " \
           "print(bad); sys.exit(1 if bad else 0)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                            cwd=PKG.parent, env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr
