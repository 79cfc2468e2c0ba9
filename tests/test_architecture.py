"""The layers of bot/ and what each may import (docs/architecture.md describes them; this enforces them).

    bot.core        the rules: only itself, the standard library and a few pure libraries
    bot.store       implements the core's Store port: the core, itself, its database driver
    bot.config      builds the core's settings from files and the environment: the core
    bot.ops         operations around the bot (log redaction, metrics, health): the core, the config
    bot.charts      pictures of the core's results (the report chart): the core and matplotlib
    bot.adapters.X  one platform each: core, store, config, ops, charts, itself and its own chat library
    bot.cli         the composition root (and bot.__main__): anything in bot

The module graph is read from the source with ast: every import counts, at module level, inside a
function, or under ``if TYPE_CHECKING`` (a layer rule is about design, not only about run time).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"

STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}
CHAT_LIBRARIES = {"discord", "slack_bolt", "slack_sdk", "aiohttp", "yarl"}
# Third-party packages each layer may use, beyond the standard library.
LIBRARIES = {
    "bot.core": {"rapidfuzz", "snowballstemmer", "Stemmer", "yaml", "numpy"},  # matching, stemming, safe YAML, the sentence encoder
    "bot.store": {"aiosqlite", "asyncpg"},
    "bot.config": {"yaml", "classbot_knowledge"},  # the config file; where the bundled course is installed
    "bot.ops": {"prometheus_client", "aiohttp"},  # /metrics; the /healthz and /metrics server on the bot's loop
    "bot.charts": {"matplotlib"},  # drawing, kept out of the core; imported only when a chart is drawn
    "bot.adapters.console": set(),
    "bot.adapters.discord": {"discord", "aiohttp", "yarl"},
    "bot.adapters.slack": {"slack_bolt", "slack_sdk", "aiohttp"},
}
# Which parts of bot each layer may import (a module may always import its own package).
MAY_IMPORT = {
    "bot.core": {"bot.core"},
    "bot.store": {"bot.core", "bot.store"},
    "bot.config": {"bot.core", "bot.config"},
    "bot.ops": {"bot.core", "bot.config", "bot.ops"},
    "bot.charts": {"bot.core", "bot.charts"},
    "bot.adapters.console": {"bot.core", "bot.store", "bot.config", "bot.charts", "bot.adapters.console"},
    "bot.adapters.discord": {"bot.core", "bot.store", "bot.config", "bot.ops", "bot.charts", "bot.adapters.discord"},
    "bot.adapters.slack": {"bot.core", "bot.store", "bot.config", "bot.ops", "bot.charts", "bot.adapters.slack"},
}
# The packages above the layers and the composition root, which wires the layers together.
COMPOSITION_ROOT = {"bot", "bot.adapters", "bot.cli", "bot.__main__"}
# Import cycles that exist today, each with who is removing it. A fixed cycle fails the test
# until its line here is deleted, so the list only ever shrinks.
KNOWN_CYCLES: dict[frozenset[str], str] = {
}  # fmt: skip


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(BOT.rglob("*.py"))}


def imported_names(name: str) -> Iterator[str]:
    """Every module ``name`` imports, anywhere in its source, as absolute dotted names."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:  # "from bot.adapters.discord import render" imports a module
                sub = f"{module}.{alias.name}"
                yield sub if sub in MODULES else module


def internal_edges(name: str) -> set[str]:
    return {m for m in imported_names(name) if m in MODULES and m != name}


def layer_of(name: str) -> str | None:
    return next((layer for layer in MAY_IMPORT if name == layer or name.startswith(layer + ".")), None)


def inside(name: str, layer: str) -> bool:
    return name == layer or name.startswith(layer + ".")


def test_the_module_graph_is_read_from_every_kind_of_import():
    edges = {name: internal_edges(name) for name in MODULES}
    assert "bot.core.models" in edges["bot.core.store"]  # module level
    assert "bot.adapters.console.trivia" in edges["bot.cli"]  # inside a function
    assert "bot.store.sqlite.store" in edges["bot.store.sqlite"]  # a package's __init__
    assert all(layer_of(name) is not None for name in MODULES if name not in COMPOSITION_ROOT)


def test_each_layer_imports_only_what_it_may():
    broken = []
    for name in MODULES:
        layer = layer_of(name)
        if name in COMPOSITION_ROOT:
            continue
        assert layer is not None, f"{name} belongs to no layer: add it to MAY_IMPORT"
        for imported in set(imported_names(name)):
            top = imported.split(".")[0]
            if top == "bot":
                if imported != "bot" and not any(inside(imported, ok) for ok in MAY_IMPORT[layer]):
                    broken.append(f"{name} imports {imported}")
            elif top not in STDLIB and top not in LIBRARIES[layer]:
                broken.append(f"{name} imports the library {top}")
    assert broken == []


def test_no_chat_library_anywhere_but_its_adapter():
    for name in MODULES:
        tops = {m.split(".")[0] for m in imported_names(name)}
        layer = layer_of(name) or ""
        # bot.ops serves /healthz and /metrics with aiohttp's web server: HTTP, not a chat platform
        allowed = {"aiohttp"} if layer == "bot.ops" else set()
        assert not (tops & CHAT_LIBRARIES) - allowed or layer.startswith("bot.adapters."), name


def test_the_core_loads_no_chat_library_at_run_time_either():
    code = (
        "import sys, bot.core.answering, bot.core.knowledge, bot.core.validation, bot.core.trivia.rounds, bot.core.schedule,"
        " bot.core.store, bot.store, bot.config, bot.cli;"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(CHAT_LIBRARIES)!r}))"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert p.returncode == 0 and p.stdout.strip() == "[]", p.stdout + p.stderr


def test_matplotlib_is_loaded_only_when_a_chart_is_drawn():
    code = (
        "import sys, bot.core.reports, bot.charts, bot.cli, bot.store;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert p.returncode == 0 and p.stdout.strip() == "[]", p.stdout + p.stderr


def cycles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_cycle_finder_finds_a_cycle_through_three_modules_and_none_in_a_chain():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset("abc")]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycles_in_bot_beyond_the_known_ones_being_removed():
    found = set(cycles({name: internal_edges(name) for name in MODULES}))
    assert found - set(KNOWN_CYCLES) == set(), "new import cycles"
    assert set(KNOWN_CYCLES) - found == set(), "these cycles are gone: delete them from KNOWN_CYCLES"


MAX_LINES = 500  # a module longer than this says at its top why it is one module


def test_a_module_over_500_lines_says_at_its_top_why_it_is_one_module():
    unexplained = []
    for name, path in MODULES.items():
        source = path.read_text(encoding="utf-8")
        if source.count("\n") > MAX_LINES:
            doc = ast.get_docstring(ast.parse(source)) or ""
            if "Why one module" not in doc:
                unexplained.append(f"{name}: {source.count(chr(10))} lines")
    assert unexplained == []
