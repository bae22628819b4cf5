"""Imports go one way: web -> planner -> solver -> ortools (README.md, "Architecture").

Inside `planner` the sub-packages have an order too (LAYERS): each imports only those before it,
and no product module imports the tools that ship beside it (generator, benchmark, demo).

The solver never imports the product, the web or a database; the scenario and plan readers and
the plan validator never import OR-Tools, so a plan from any source can be checked without it.
Imports are read with `ast` (every import, also those inside functions), and the validator's
freedom from OR-Tools is also proved by importing it in a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
#: What the solver must not know about: the product, the web and the database.
NOT_FOR_THE_SOLVER = ("planner", "web", "fastapi", "sqlmodel")
#: Modules that read and check documents without a solver.
SOLVER_FREE = (
    "planner.formats.validate",
    "planner.formats.scenario",
    "planner.formats.plan",
    "solver.problem",
)
#: The sub-packages of `planner`, innermost first: each may import only itself and those before
#: it (`planner.errors` stands first). `planner.cli` stands above them all.
LAYERS = (
    ("errors",),
    ("text",),
    ("formats",),
    ("db",),
    ("security", "week"),
    ("outputs",),
    ("plan",),
    ("register",),
    ("views",),
    ("tools",),
)


def imported_modules(source: str, module: str) -> set[str]:
    """Every module a source imports, relative imports resolved against `module`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = absolute(node, module)
            found.add(base)
            # `from solver import model` imports the module solver.model.
            found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return found


def absolute(node: ast.ImportFrom, module: str) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".")[: -node.level]
    return ".".join([*package, *([node.module] if node.module else [])])


def module_file(module: str) -> Path | None:
    """The project file of a module, or None for a module from outside the project."""
    path = ROOT.joinpath(*module.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def module_imports(module: str) -> set[str]:
    """The imports of a project module, including those of the packages it sits in."""
    names = module.split(".")
    found: set[str] = set()
    for i in range(1, len(names) + 1):
        name = ".".join(names[:i])
        path = module_file(name)
        if path is not None:
            found |= imported_modules(path.read_text(encoding="utf-8"), name)
    return found


def reachable(module: str) -> set[str]:
    """Every module a project module imports, directly or through other project modules."""
    seen, todo = {module}, [module]
    while todo:
        for name in module_imports(todo.pop()):
            if name not in seen:
                seen.add(name)
                if module_file(name) is not None:
                    todo.append(name)
    return seen - {module}


def top(module: str) -> str:
    return module.split(".")[0]


def package_modules(package: str) -> list[str]:
    return sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / package).rglob("*.py")
    )


def solver_modules() -> list[str]:
    return package_modules("solver")


# --- the scanner itself -------------------------------------------------------------------------


def test_imported_modules_sees_every_form_of_import():
    source = (
        "import json, ortools.sat.python.cp_model as cp\n"
        "from planner.formats.scenario import parse_scenario\n"
        "from . import draft\n"
        "from .options import Options\n"
        "def later():\n"
        "    from web import app\n"
    )
    assert imported_modules(source, "solver.solve") == {
        "json",
        "ortools.sat.python.cp_model",
        "planner.formats.scenario",
        "planner.formats.scenario.parse_scenario",
        "solver",
        "solver.draft",
        "solver.options",
        "solver.options.Options",
        "web",
        "web.app",
    }


def test_reachable_follows_the_solver_to_ortools():
    assert "ortools.sat.python" in reachable("solver.solve")


# --- the solver knows nothing of the product ----------------------------------------------------


@pytest.mark.parametrize("module", solver_modules())
def test_solver_module_imports_no_planner_web_or_database(module):
    imports = module_imports(module)
    assert sorted(name for name in imports if top(name) in NOT_FOR_THE_SOLVER) == []


# --- the product knows nothing of the web ------------------------------------------------------


@pytest.mark.parametrize("module", package_modules("planner"))
def test_planner_module_imports_no_web(module):
    imports = module_imports(module)
    assert sorted(name for name in imports if top(name) in ("web", "fastapi", "starlette")) == []


# --- documents are read and checked without OR-Tools --------------------------------------------


@pytest.mark.parametrize("module", SOLVER_FREE)
def test_document_module_reaches_no_ortools(module):
    modules = reachable(module)
    assert sorted(name for name in modules if top(name) == "ortools") == []
    solver_parts = {name for name in modules if top(name) == "solver" and module_file(name)}
    assert solver_parts <= {"solver", "solver.problem"}


@pytest.mark.parametrize("module", SOLVER_FREE)
def test_document_module_loads_without_ortools(module):
    code = f"import {module}, sys; assert 'ortools' not in sys.modules, sorted(sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stderr) == (0, "")


# --- inside the product, the sub-packages go one way -------------------------------------------


def layer_of(module: str) -> int | None:
    """The index in LAYERS of a planner module's sub-package (None for planner.cli and the root)."""
    parts = module.split(".")
    if parts[0] != "planner" or len(parts) < 2:
        return None
    for i, names in enumerate(LAYERS):
        if parts[1] in names:
            return i
    return None


def test_every_planner_module_sits_in_a_layer():
    loose = [m for m in package_modules("planner") if m.count(".") >= 1 and layer_of(m) is None]
    assert loose == ["planner.cli"]


@pytest.mark.parametrize(
    "module", [m for m in package_modules("planner") if layer_of(m) is not None]
)
def test_planner_module_imports_only_inner_layers(module):
    own = layer_of(module)
    assert own is not None
    outward = sorted(
        name
        for name in module_imports(module)
        if module_file(name) is not None and (layer_of(name) or 0) > own
    )
    assert outward == []


def test_layer_check_sees_an_outward_import():
    source = "from planner.views.grid import grid_week\n"
    found = imported_modules(source, "planner.plan.edit")
    own = layer_of("planner.plan.edit")
    assert own is not None
    assert [n for n in found if module_file(n) and (layer_of(n) or 0) > own] == [
        "planner.views.grid"
    ]
