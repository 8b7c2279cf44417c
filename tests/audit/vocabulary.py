"""What the audit trail can hold, read from the code itself: its verbs, entities and recorded fields.

Used by tests/audit/test_vocabulary.py (every name the code can write has a label in French and Dutch) and by the
guard in tests/conftest.py (every entry any test writes reads in the reader's language).
"""

from __future__ import annotations

import ast
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import tracker.models  # noqa: F401  (every model)
from tracker.core import lifecycle
from tracker.core.db import Base

ROOT = Path(__file__).resolve().parents[2]


def enum_choices() -> dict[str, set[str]]:
    """Return {column name: the values it may store} for every column of the models that holds an enumeration."""
    choices: dict[str, set[str]] = {}
    for mapper in Base.registry.mappers:
        for column in mapper.columns:
            kind = getattr(column.type, "enum_class", None)
            if kind is not None:
                choices.setdefault(column.key, set()).update(str(member.value) for member in kind)
    return choices


@dataclass
class Vocabulary:
    verbs: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)
    fields: set[str] = field(default_factory=set)


def _strings(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _keys(node: ast.AST) -> set[str]:
    """Return the field names of the dicts written in an expression.

    A key `f"summary_{lang}"` gives its stem `summary`; `**_texts("title", …)` gives `title` (the history names
    `title_fr` after `title`).
    """
    found: set[str] = set()
    for d in ast.walk(node):
        if isinstance(d, ast.DictComp):
            found |= _keys(ast.Dict(keys=[d.key], values=[d.value]))
            if isinstance(d.key, ast.Name):  # {k: values[k] for k in ("reference", "signed_on")}
                found |= {s for g in d.generators if _name(g.target) == d.key.id for s in _strings(g.iter)}
        if not isinstance(d, ast.Dict):
            continue
        for key, value in zip(d.keys, d.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                found.add(key.value)
            elif isinstance(key, ast.JoinedStr) and key.values and isinstance(key.values[0], ast.Constant):
                found.add(str(key.values[0].value).rstrip("_"))
            elif key is None and isinstance(value, ast.Call):
                found |= {a.value for a in value.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return found


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


class _Module:
    """One source file: its functions, its constant tuples of field names, its audit writes."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.functions = {f.name: f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}
        # Wrappers of the audit writer: functions taking a verb, an entity or changes (`values`) to pass on to it,
        # by parameter position (methods count `self`: their calls do not pass it).
        self.wrappers: dict[str, dict[str, int]] = {}
        for name, f in self.functions.items():
            params = [a.arg for a in f.args.args if a.arg != "self"]
            if set(WRITTEN) & set(params) and any(_calls_writer(n) for n in ast.walk(f)):
                self.wrappers[name] = {p: i for i, p in enumerate(params) if p in WRITTEN}
        # Dicts assigned to a name, by name: what a writer receives as `changes=changes`.
        self.assigned: dict[str, set[str]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(target, ast.Name):
                        self.assigned.setdefault(target.id, set()).update(_keys(node.value))
                    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                        self.assigned.setdefault(target.value.id, set()).update(_strings(target.slice))


# Parameters through which a verb, an entity or recorded fields reach the audit writer.
WRITTEN = {"verb": "verb", "entity": "entity", "changes": "changes", "values": "changes"}
TRANSITION_FIELDS = [f.name for f in dataclasses.fields(lifecycle.Transition)]
LIFECYCLE_FIELDS = [f.name for f in dataclasses.fields(lifecycle.Lifecycle)]


def _calls_writer(node: ast.AST) -> bool:
    """Whether a node calls the audit writer (`audit.record`) or an object's upsert (which calls it)."""
    return isinstance(node, ast.Call) and _name(node.func) in ("record", "upsert")


def _field_constants(trees: list[ast.Module]) -> dict[str, set[str]]:
    """Return {NAME: its strings} for the module-level tuples, lists and sets of field names (`USER_AUDIT_FIELDS`)."""
    found: dict[str, set[str]] = {}
    for tree in trees:
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple | ast.List | ast.Set):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id.endswith("FIELDS"):
                        found[target.id] = _strings(node.value)
    return found


def audit_vocabulary() -> Vocabulary:
    """Return every verb, entity and field name the code can write to the audit trail.

    Read from the source: the literal arguments of `audit.record` and of the functions that pass a verb or changes on
    to it, the dicts assigned to `changes`, the keys set in them, the field-name constants given to
    `audit.snapshot`, the dicts returned by lifecycle effects, and each lifecycle table's entity, transition names
    and state attribute.
    """
    sources = sorted((ROOT / "tracker").rglob("*.py")) + sorted((ROOT / "workflows").rglob("*.py"))
    modules = [_Module(ast.parse(p.read_text(), str(p))) for p in sources]
    constants = _field_constants([m.tree for m in modules])
    vocabulary = Vocabulary()
    effects: set[str] = set()
    for module in modules:
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call):
                _read_call(node, module, constants, vocabulary, effects)
    for module in modules:
        for name in effects & set(module.functions):
            for ret in ast.walk(module.functions[name]):
                if isinstance(ret, ast.Return) and ret.value is not None:
                    vocabulary.fields |= _keys(ret.value) | module.assigned.get(_name(ret.value), set())
    return vocabulary


def _read_call(
    node: ast.Call, module: _Module, constants: dict[str, set[str]], vocabulary: Vocabulary, effects: set[str]
) -> None:
    callee = _name(node.func)
    arguments = {WRITTEN.get(kw.arg, kw.arg): kw.value for kw in node.keywords if kw.arg}
    for name, position in module.wrappers.get(callee, {}).items():
        if position < len(node.args):
            arguments.setdefault(WRITTEN[name], node.args[position])
    if callee == "Transition":
        arguments.update(zip(TRANSITION_FIELDS, node.args, strict=False))
        vocabulary.verbs |= _strings(arguments["name"]) if "name" in arguments else set()
    if callee == "Lifecycle":  # a lifecycle's moves are audited under its entity, with its state attribute
        arguments.update(zip(LIFECYCLE_FIELDS, node.args, strict=False))
        vocabulary.entities |= _strings(arguments["entity"]) if "entity" in arguments else set()
        vocabulary.fields |= _strings(arguments["state_attr"]) if "state_attr" in arguments else {"status"}
    is_writer = (callee == "record" and _name(getattr(node.func, "value", node.func)) == "audit") or (
        callee in module.wrappers
    )
    if is_writer:
        vocabulary.verbs |= _strings(arguments["verb"]) if "verb" in arguments else set()
        vocabulary.entities |= _strings(arguments["entity"]) if "entity" in arguments else set()
        changes = arguments.get("changes")
        if changes is not None:
            vocabulary.fields |= _keys(changes)
            vocabulary.fields |= module.assigned.get(_name(changes), set()) if isinstance(changes, ast.Name) else set()
    if callee == "snapshot" and len(node.args) == 2:
        fields = node.args[1]
        fields = fields.value if isinstance(fields, ast.Subscript) else fields
        vocabulary.fields |= constants.get(_name(fields), set()) | _strings(fields)
    if callee == "Transition" and "effect" in arguments:
        effects.add(_name(arguments["effect"]))
