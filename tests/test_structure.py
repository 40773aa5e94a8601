"""The house rules of docs/architecture.md that a reader should not have to check by hand.

Read from the source with `ast` (nothing is imported): the import graph of the non-test tree
(imports inside functions and under TYPE_CHECKING included, so an import cannot hide a cycle or
an upward arrow), the modules that alone may call the channel layer, build a frame or lock a row,
and the size limits.
"""

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("core", "realtime", "billing", "config")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

# core's layers, top to bottom (docs/architecture.md, "The house"): a module may import its own
# layer and those below it, never one above.
CORE_LAYERS: list[tuple[str, ...]] = [
    ("core.apps", "core.api", "core.admin", "core.auth", "core.tasks", "core.management"),
    ("core.services",),
    ("core.selectors", "core.events"),
    (
        "core.hooks",
        "core.jobs",
        "core.emailing",
        "core.permissions",
        "core.media",
        "core.public_reads",
    ),
    ("core.models", "core.scoring", "core.rules", "core.errors", "core.observability"),
]
# Pure modules: nothing of Django (nor of the rest of core but errors).
PURE = ("core.scoring", "core.rules")
PURE_MAY_IMPORT = ("core.scoring", "core.rules", "core.errors")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def sources() -> dict[str, tuple[Path, ast.Module]]:
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                found[_module_name(path)] = (path, ast.parse(path.read_text(), str(path)))
    return found


def _resolve(module: str, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The project modules an import statement names (a `from pkg import mod` names pkg.mod)."""
    known = sources()
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] in APPS]
    base = node.module or ""
    if node.level:
        path, _ = known[module]
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([node.module] if node.module else [])])
    if base.split(".")[0] not in APPS:
        return []
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]


@cache
def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, (_, tree) in sources().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                graph[module].update(t for t in _resolve(module, node) if t != module)
    return graph


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_import_graph_has_no_cycle():
    assert _cycles(import_graph()) == []


def test_core_layers_only_point_down():
    def layer(module: str) -> int | None:
        for depth, prefixes in enumerate(CORE_LAYERS):
            if _within(module, prefixes):
                return depth
        return None

    upward = []
    for source, targets in import_graph().items():
        if not source.startswith("core"):
            continue
        assert source == "core" or layer(source) is not None, f"{source} has no layer"
        for target in targets:
            if target.startswith("core.") and layer(target) < layer(source):
                upward.append(f"{source} -> {target}")
    assert upward == []


def test_scoring_and_rules_are_pure():
    impure = []
    for module, (_, tree) in sources().items():
        if not _within(module, PURE):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                names.append(getattr(node, "module", None) or "")
                for name in names:
                    top = name.split(".")[0]
                    if top == "django" or (top in APPS and not _within(name, PURE_MAY_IMPORT)):
                        impure.append(f"{module} imports {name}")
    for module, targets in import_graph().items():
        if _within(module, PURE):
            impure += [f"{module} -> {t}" for t in targets if not _within(t, PURE_MAY_IMPORT)]
    assert impure == []


def _strings(tree: ast.AST) -> Iterator[ast.Constant]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node


def test_core_names_neither_realtime_nor_billing_even_by_string():
    named = []
    dotted = re.compile(r"\b(realtime|billing)(\.[a-z_]+)+")
    for module, (_, tree) in sources().items():
        if not module.startswith("core"):
            continue
        named += [
            f"{module}: {t}"
            for t in import_graph()[module]
            if t.split(".")[0] in ("realtime", "billing")
        ]
        named += [f"{module}: {s.value!r}" for s in _strings(tree) if dotted.search(s.value)]
    assert named == []


def test_realtime_and_billing_do_not_import_each_other():
    crossing = [
        f"{s} -> {t}"
        for s, targets in import_graph().items()
        for t in targets
        if {s.split(".")[0], t.split(".")[0]} == {"realtime", "billing"}
    ]
    assert crossing == []


def test_project_imports_in_functions_are_only_the_app_registrys():
    """An import inside a function is fine for start-up cost (say so in a comment), but a
    project module is imported inside a function only by AppConfig.ready(): models load then."""
    hidden = []
    for module, (_, tree) in sources().items():
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) or fn.name == "ready":
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Import | ast.ImportFrom) and _resolve(module, node):
                    hidden.append(f"{module}.{fn.name}: line {node.lineno}")
    assert hidden == []


def _names_used(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Attribute):
        return {node.attr}
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.ImportFrom):
        return {a.name for a in node.names}
    return set()


def _calls_to(tree: ast.AST, names: set[str]) -> list[int]:
    return [node.lineno for node in ast.walk(tree) if _names_used(node) & names]


def _only_in(allowed: str, names: set[str]) -> list[str]:
    return [
        f"{module}:{line}"
        for module, (_, tree) in sources().items()
        if module != allowed
        for line in _calls_to(tree, names)
    ]


def test_only_realtime_broadcast_talks_to_the_channel_layer():
    layer_api = {"get_channel_layer", "channel_layer", "group_send", "group_add"}
    layer_api |= {"group_discard", "new_channel", "channel_layers"}
    assert _only_in("realtime.broadcast", layer_api) == []


def test_only_the_locks_module_locks_rows():
    assert _only_in("core.services.locks", {"select_for_update"}) == []


FRAME_TYPES = {"snapshot", "event", "presence", "ack", "error", "pong", "notification"}


def test_only_realtime_frames_builds_frame_text():
    built = []
    for module, (_, tree) in sources().items():
        if module == "realtime.frames" or module.startswith("config"):
            continue
        for node in _strings(tree):
            if re.search(r'"type"\s*:\s*"', node.value):  # JSON text of a frame
                built.append(f"{module}:{node.lineno}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value == "type"
                        and isinstance(value, ast.Constant)
                        and value.value in FRAME_TYPES
                    ):
                        built.append(f"{module}:{node.lineno}")
    assert built == []


def _python_files() -> Iterator[Path]:
    for folder in (*APPS, "tests", "bench", "scripts"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_modules_and_functions_stay_small():
    too_big = []
    for path in _python_files():
        text = path.read_text()
        name = path.relative_to(ROOT)
        if text.count("\n") > MAX_MODULE_LINES:
            too_big.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_big.append(f"{name}:{node.lineno} {node.name}(): {length} lines")
    assert too_big == []


def _text_files() -> Iterator[Path]:
    skip = {".git", ".venv", "var", "node_modules", "artifacts"}
    suffixes = {".py", ".md", ".toml", ".yml", ".js", ".html", ".txt", ".css", ".example"}
    for path in sorted(ROOT.rglob("*")):
        if not path.is_file() or skip & set(path.relative_to(ROOT).parts):
            continue
        if path.suffix in suffixes or path.parent.name in {"scripts", ".ci"}:
            yield path


@pytest.mark.parametrize(
    "pattern",
    [
        r"\.\./shared\b|shared/design",  # the design lives in docs/
        r"\bissue\s*#?\d+|\bthe [a-z-]+ issue\b",  # comments stand alone
        r"(?<![\w/.])(ARCHITECTURE|PROTOCOL|QUALITY|SCORING|PHONEPE|FANOUT|API)\.md\b",
    ],
)
def test_nothing_points_outside_the_repository(pattern: str):
    here = Path(__file__).resolve()
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _text_files()
        if path != here
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if re.search(pattern, line, re.IGNORECASE if "issue" in pattern else 0)
    ]
    assert found == []
