"""The type stubs (libsign/__init__.pyi, libsign/_core.pyi) against the module they describe: every
public name of the module is in its stub and the other way round, every class has the same public
attributes, and every function or method the same parameter names."""
import ast
import inspect
import pathlib

import pytest

import libsign
from libsign import _core

STUB_DIR = pathlib.Path(libsign.__file__).parent


def parse_stub(name):
    return ast.parse((STUB_DIR / name).read_text(encoding="utf-8"))


def is_type_alias(node):
    """`Paths: TypeAlias = ...`: a typing helper of the stub, not a name of the module."""
    return isinstance(node, ast.AnnAssign) and isinstance(node.annotation, ast.Name) and node.annotation.id == "TypeAlias"


def stub_names(tree):
    names = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names[node.name] = node
        elif isinstance(node, ast.AnnAssign) and not is_type_alias(node):
            names[node.target.id] = node
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.asname:  # `import X as X`: a re-export (PEP 484)
                    names[alias.asname] = node
    return names


def public(names):
    return {n for n in names if not n.startswith("_") or n == "__version__"}


def runtime_public(module):
    return public(n for n in dir(module) if not inspect.ismodule(getattr(module, n)))


def split_top_level(text):
    """Splits `a: List[str], b: Dict[str, int] = {}` at the commas outside brackets and quotes."""
    parts, depth, quote, current = [], 0, None, ""
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += ch
    if current.strip():
        parts.append(current)
    return parts


def runtime_parameters(obj):
    """Parameter names of a Python function, or of a pybind11 function from its signature line."""
    try:
        return [p.name if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL) else "*" + p.name
                for p in inspect.signature(obj).parameters.values()]
    except (TypeError, ValueError):
        pass
    first = (obj.__doc__ or "").splitlines()[0]
    inside = first[first.index("(") + 1:first.rindex(")")]
    names = []
    for part in split_top_level(inside):
        name = part.split(":")[0].split("=")[0].strip()
        if name != "*":
            names.append(name)
    return names


def stub_parameters(node):
    a = node.args
    names = [p.arg for p in a.posonlyargs + a.args + a.kwonlyargs]
    if a.vararg:
        names.append("*" + a.vararg.arg)
    if a.kwarg:
        names.append("*" + a.kwarg.arg)
    ordered = [p.arg for p in a.posonlyargs + a.args]
    return ordered + [p.arg for p in a.kwonlyargs] + [n for n in names if n.startswith("*")]


def normalise(names):
    """Keyword-only and positional names in declaration order, *args/**kwargs last."""
    plain = [n for n in names if not n.startswith("*")]
    return plain + sorted(n for n in names if n.startswith("*"))


STUBS = [("__init__.pyi", libsign), ("_core.pyi", _core)]


@pytest.mark.parametrize("stub, module", STUBS, ids=[s for s, _ in STUBS])
def test_every_public_name_is_in_the_stub_and_back(stub, module):
    declared = public(stub_names(parse_stub(stub)))
    present = runtime_public(module)
    assert sorted(present - declared) == [], f"in {module.__name__} but not in {stub}"
    assert sorted(declared - present) == [], f"in {stub} but not in {module.__name__}"


@pytest.mark.parametrize("stub, module", STUBS, ids=[s for s, _ in STUBS])
def test_functions_have_the_stubs_parameter_names(stub, module):
    checked = 0
    for name, node in stub_names(parse_stub(stub)).items():
        if isinstance(node, ast.FunctionDef) and name in public([name]):
            assert normalise(runtime_parameters(getattr(module, name))) == normalise(stub_parameters(node)), name
            checked += 1
    assert checked > 10


@pytest.mark.parametrize("stub, module", STUBS, ids=[s for s, _ in STUBS])
def test_classes_have_the_stubs_attributes_and_method_parameters(stub, module):
    for name, node in stub_names(parse_stub(stub)).items():
        if not isinstance(node, ast.ClassDef) or name not in public([name]):
            continue
        cls = getattr(module, name)
        declared = {}
        for item in node.body:
            if isinstance(item, ast.AnnAssign):
                declared[item.target.id] = item
            elif isinstance(item, ast.FunctionDef):
                declared[item.name] = item
        present = {n for n in dir(cls) if not n.startswith("_")}
        assert sorted(present - set(declared)) == [], f"{name}: in the class but not in {stub}"
        assert sorted(set(declared) - present - {"__init__", "__iter__", "__next__", "__enter__", "__exit__"}) == [], \
            f"{name}: in {stub} but not in the class"
        for member, item in declared.items():
            is_property = isinstance(item, ast.FunctionDef) and any(
                isinstance(d, ast.Name) and d.id in ("property", "staticmethod") for d in item.decorator_list)
            if isinstance(item, ast.FunctionDef) and not is_property:
                assert normalise(runtime_parameters(getattr(cls, member))) == normalise(stub_parameters(item)), \
                    f"{name}.{member}"
