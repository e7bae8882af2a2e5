"""Project rule: every public function and class of compindex (and of the benchmarks in bench/) has a numpydoc
docstring.

numpydoc is not a dependency, so the sections are parsed here with numpydoc's own rules (a title line underlined
by dashes of the same length; in Parameters, ``name : type`` lines at the section's indentation, several names
separated by commas, descriptions indented below). Checked for every public name defined in a compindex module
(classes, functions, and the public methods of those classes):

- a one-line summary and only known numpydoc sections, none empty;
- every parameter of the signature documented, none documented that the signature lacks (a class documents its
  ``__init__`` parameters, under Parameters, or Attributes for dataclasses);
- Returns (Yields for generators) when the body returns a value, Raises naming every exception class the body
  raises, itself or through the module's private helpers it calls.

What a docstring says about units, shapes and the method's source is left to review.
"""
from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import sys
import textwrap
from pathlib import Path

import pytest

import compindex

# numpydoc's ``NumpyDocString.sections`` (numpydoc 1.8).
SECTIONS = {"Summary", "Extended Summary", "Parameters", "Returns", "Yields", "Receives", "Raises", "Warns",
            "Other Parameters", "Attributes", "Methods", "See Also", "Notes", "Warnings", "References",
            "Examples", "index"}


def parse_sections(doc: str) -> dict[str, list[str]]:
    """Lines of each section of a cleaned docstring (``inspect.cleandoc``), "Summary" for what comes first."""
    lines = doc.splitlines()
    sections: dict[str, list[str]] = {"Summary": []}
    current = "Summary"
    i = 0
    while i < len(lines):
        line = lines[i]
        underline = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if line.strip() and not line.startswith(" ") and underline and set(underline) == {"-"} \
                and len(underline) == len(line.strip()):
            current = line.strip()
            if current in sections:
                raise ValueError(f"section {current!r} twice")
            sections[current] = []
            i += 2
            continue
        sections[current].append(line)
        i += 1
    return sections


def documented_names(section: list[str]) -> list[str]:
    """Names of a Parameters, Attributes or Raises section: ``a, b : type`` or bare names at the section's
    indentation (descriptions are indented further)."""
    body = [line for line in section if line.strip()]
    if not body:
        return []
    indent = min(len(line) - len(line.lstrip()) for line in body)
    names = []
    for line in body:
        if len(line) - len(line.lstrip()) == indent:
            head = line.strip().split(" : ")[0]
            names += [n.strip() for n in head.split(",")]
    return names


def _function_node(func) -> ast.FunctionDef | None:
    try:
        source = textwrap.dedent(inspect.getsource(func))
    except (OSError, TypeError):
        return None
    node = ast.parse(source).body[0]
    return node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def _own_nodes(node: ast.AST):
    """Nodes of a function body, not those of functions, lambdas or classes nested in it."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        yield child
        yield from _own_nodes(child)


def _raised(func, owner: type | None, seen: set) -> set[str]:
    """Exception classes raised by ``func`` itself or by the private helpers it calls (``_name(...)`` of its
    module, ``self._name(...)``/``cls._name(...)`` of ``owner``)."""
    node = _function_node(func)
    if node is None:
        return set()
    raised = set()
    for n in _own_nodes(node):
        if isinstance(n, ast.Raise) and n.exc is not None:
            exc = n.exc.func if isinstance(n.exc, ast.Call) else n.exc
            if isinstance(exc, ast.Name) and exc.id[:1].isupper():
                raised.add(exc.id)
            elif isinstance(exc, ast.Attribute):
                raised.add(exc.attr)
        elif isinstance(n, ast.Call):
            helper = None
            if isinstance(n.func, ast.Name) and n.func.id.startswith("_"):
                helper = func.__globals__.get(n.func.id)
            elif (isinstance(n.func, ast.Attribute) and n.func.attr.startswith("_") and owner is not None
                  and isinstance(n.func.value, ast.Name) and n.func.value.id in ("self", "cls")):
                helper = inspect.getattr_static(owner, n.func.attr, None)
                helper = getattr(helper, "__func__", helper)
            if inspect.isfunction(helper) and helper not in seen:
                seen.add(helper)
                raised |= _raised(helper, owner, seen)
    return raised


def body_facts(func, owner: type | None = None) -> tuple[bool, bool, set[str]]:
    """(returns a value, yields, exception classes raised by the body or its private helpers)."""
    node = _function_node(func)
    if node is None:
        return False, False, set()
    nodes = list(_own_nodes(node))
    returns = any(isinstance(n, ast.Return) and n.value is not None
                  and not (isinstance(n.value, ast.Constant) and n.value.value is None) for n in nodes)
    yields = any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in nodes)
    return returns, yields, _raised(func, owner, {func})


def signature_names(func, skip_first: bool) -> list[str]:
    params = list(inspect.signature(func).parameters.values())
    if skip_first:
        params = params[1:]
    stars = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}
    return [stars.get(p.kind, "") + p.name for p in params]


def check_docstring(obj, owner: type | None = None) -> list[str]:
    """Problems of one function, method or class docstring (empty when it follows the rule)."""
    doc = inspect.getdoc(obj) if owner is None else inspect.cleandoc(obj.__doc__ or "")
    if not doc or not doc.strip():
        return ["no docstring"]
    try:
        sections = parse_sections(doc)
    except ValueError as exc:
        return [str(exc)]
    problems = [f"unknown section {s!r}" for s in sections if s not in SECTIONS]
    problems += [f"empty section {s!r}" for s, body in sections.items()
                 if s != "Summary" and not any(line.strip() for line in body)]
    if not any(line.strip() for line in sections["Summary"]):
        problems.append("no summary line")
    if isinstance(obj, property):
        return problems
    if inspect.isclass(obj):
        init = obj.__dict__.get("__init__")
        if init is None and not dataclasses.is_dataclass(obj):
            return problems
        wanted = signature_names(obj, skip_first=False)
        documented = documented_names(sections.get("Parameters", []))
        if dataclasses.is_dataclass(obj):
            documented += documented_names(sections.get("Attributes", []))
        func = init
    else:
        func = obj.__func__ if isinstance(obj, (classmethod, staticmethod)) else obj
        wanted = signature_names(func, skip_first=owner is not None and not isinstance(obj, staticmethod))
        documented = documented_names(sections.get("Parameters", []))
    problems += [f"parameter {p!r} not documented" for p in wanted if p not in documented]
    problems += [f"documents {p!r}, not in the signature" for p in documented if p not in wanted]
    if func is None or (inspect.isclass(obj) and dataclasses.is_dataclass(obj) and init is None):
        return problems
    returns, yields, raised = body_facts(func, obj if inspect.isclass(obj) else owner)
    if returns and not inspect.isclass(obj) and "Returns" not in sections:
        problems.append("returns a value but has no Returns section")
    if yields and "Yields" not in sections:
        problems.append("yields but has no Yields section")
    listed = {name.rsplit(".", 1)[-1] for name in documented_names(sections.get("Raises", []))}
    problems += [f"raises {name} but the Raises section does not say so" for name in sorted(raised - listed)]
    return problems


BENCH = Path(__file__).resolve().parents[2] / "bench"


def _modules():
    for info in pkgutil.iter_modules(compindex.__path__):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"compindex.{info.name}")
    # The benchmark scripts follow the same rule; they import Django only inside their functions.
    sys.path.insert(0, str(BENCH))
    try:
        for path in sorted(BENCH.glob("bench_*.py")):
            yield importlib.import_module(path.stem)
    finally:
        sys.path.remove(str(BENCH))


def public_objects():
    """(qualified name, object, owning class or None) of every public name defined in a compindex module or a
    benchmark script."""
    for module in _modules():
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            yield f"{module.__name__}.{name}", obj, None
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if attr.startswith("_") or not (inspect.isfunction(member) or isinstance(
                            member, (classmethod, staticmethod, property))):
                        continue
                    yield f"{module.__name__}.{name}.{attr}", member, obj


OBJECTS = list(public_objects())


def test_walk_finds_the_public_api():
    # Every name exported by the package is one of the checked objects (or a module, or a constant).
    names = {qualname.rsplit(".", 1)[1] for qualname, _, owner in OBJECTS if owner is None}
    exported = {n for n in compindex.__all__ if callable(getattr(compindex, n))}
    assert exported <= names
    assert len(OBJECTS) > 60


@pytest.mark.parametrize(("qualname", "obj", "owner"), OBJECTS, ids=[q for q, _, _ in OBJECTS])
def test_numpydoc_docstring(qualname, obj, owner):
    assert check_docstring(obj, owner) == []


def _sample(doc):
    def f(a, b=1, *args, **kwargs):
        if a:
            raise KeyError(a)
        return a
    f.__doc__ = doc
    return f


def test_checker_finds_gaps():
    # The checker itself, on a function with a return value, a raise and four parameters.
    good = """Sum.

    Parameters
    ----------
    a, b : int
        Terms.
    *args, **kwargs
        Ignored.

    Returns
    -------
    int

    Raises
    ------
    KeyError
        Always.
    """
    assert check_docstring(_sample(good)) == []
    assert check_docstring(_sample(good.replace("a, b : int", "a : int"))) == ["parameter 'b' not documented"]
    assert check_docstring(_sample(good.replace("    KeyError\n", "    ValueError\n"))) == [
        "raises KeyError but the Raises section does not say so"]
    no_returns = good.replace("Returns\n    -------\n    int\n", "")
    assert check_docstring(_sample(no_returns)) == ["returns a value but has no Returns section"]
    assert check_docstring(_sample(good.replace("Parameters\n", "Parametres\n").replace(
        "----------", "----------"))) == ["unknown section 'Parametres'", "parameter 'a' not documented",
                                          "parameter 'b' not documented", "parameter '*args' not documented",
                                          "parameter '**kwargs' not documented"]
    assert check_docstring(_sample(good.replace("    KeyError\n", "    ValueError, KeyError\n"))) == []
    assert check_docstring(_sample("")) == ["no docstring"]


def _helper(x):
    raise TypeError(x)


def test_checker_follows_private_helpers_and_checks_classes():
    def g(x):
        """Check.

        Parameters
        ----------
        x : int
            Value.
        """
        _helper(x)

    assert check_docstring(g) == ["raises TypeError but the Raises section does not say so"]

    class C:
        """Thing.

        Parameters
        ----------
        a : int
            Size.
        """

        def __init__(self, a, b):
            self.a = a

    assert check_docstring(C) == ["parameter 'b' not documented"]
