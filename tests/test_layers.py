"""The layers stay as README's Layout section draws them: imports read from the source (AST),
no forbidden arrow and no import cycle; every module imports alone in a fresh process."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "kehu"
LAYERS = ("base", "rules", "book", "exchange", "ui", "cli")
# Which layers each layer may import (besides itself).
ALLOWED = {
    "base": set(),
    "rules": {"base"},
    "book": {"rules", "base"},
    "exchange": {"rules", "base"},
    "ui": {"rules", "base"},
    "cli": {"base", "rules", "book", "exchange", "ui"},
}
# Left from before the layers; each is being removed and must not grow.
KNOWN_ARROWS: set[str] = set()
KNOWN_CYCLE_MODULES: set[str] = set()
SCREEN_LIBRARIES = {"typer", "click", "rich"}  # only cli/ and ui/ speak to the screen


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every module `name` imports, at any depth of the file (function-local ones too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in found if m in MODULES or not m.startswith("kehu")}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_every_module_sits_in_a_layer():
    loose = [m for m in MODULES if m not in ("kehu", "kehu.__main__") and _layer(m) is None]
    assert loose == []


def test_no_forbidden_arrow():
    wrong = []
    for module, imported in GRAPH.items():
        layer = _layer(module)
        if layer is None:
            continue
        for target in imported:
            target_layer = _layer(target)
            if target_layer not in (None, layer) and target_layer not in ALLOWED[layer]:
                wrong.append(f"{module} -> {target}")
            if target.split(".")[0] in SCREEN_LIBRARIES and layer not in ("cli", "ui"):
                wrong.append(f"{module} -> {target}")
    assert sorted(set(wrong) - KNOWN_ARROWS) == []


def test_no_import_cycle():
    internal = {m: {t for t in ts if t in MODULES and t != m} for m, ts in GRAPH.items()}
    # A package's __init__ is imported with any of its modules; do not count that as an arrow.
    for module in internal:
        internal[module] = {t for t in internal[module] if not module.startswith(t + ".")}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(internal[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for module in sorted(internal):
        if module not in state:
            visit(module, [module])
    assert [c for c in cycles if not set(c.split(" -> ")) <= KNOWN_CYCLE_MODULES] == []


def test_only_cli_reads_the_apps_context():
    readers = [m for m, ts in GRAPH.items() if "kehu.cli.app" in ts and _layer(m) != "cli"]
    assert readers == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "kehu.__main__"))
def test_each_module_imports_alone(module):
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
