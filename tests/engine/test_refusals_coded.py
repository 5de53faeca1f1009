"""No refusal reaches a person as an English-only sentence: every engine error carries a coded message.

Two locks, each of which fails on its own:

* at run time, :class:`engine.errors.SiklusError` refuses to be built from an English sentence alone (so a
  refusal written through a helper or a variable cannot slip past);
* the source of ``engine/``, ``rules/`` and ``web/`` is read: every call that builds a refusal passes a
  ``Message(...)`` or ``msg=``, never the older ``text={"id", "en"}`` (so an uncoded refusal on a path no
  test walks is named by file and line).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import engine
import web
from engine.errors import InvalidInput, InvalidPayload, NotFound, SiklusError, UncodedRefusal
from engine.messages import Message

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("engine", "rules", "web")


def _every_module() -> None:
    """Import every module of engine/ and web/ so each refusal class is known."""
    for package in (engine, web):
        for found in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".migrations." in found.name:
                continue
            importlib.import_module(found.name)


def _refusal_classes() -> list[type[SiklusError]]:
    _every_module()
    seen: list[type[SiklusError]] = []
    todo = [SiklusError]
    while todo:
        kind = todo.pop()
        seen.append(kind)
        todo.extend(kind.__subclasses__())
    return seen


def test_a_refusal_without_a_code_cannot_be_built():
    with pytest.raises(UncodedRefusal):
        InvalidInput("the period is wrong")
    with pytest.raises(UncodedRefusal):
        NotFound("no such thing", details="none")
    with pytest.raises(UncodedRefusal):
        InvalidPayload("bad", [], msg=None)


def test_a_coded_refusal_keeps_its_english_for_logs_and_its_message_for_people():
    refused = InvalidInput(Message("bulk.too_many", limit=50))
    assert refused.message == "At most 50 appraisals at once." and refused.msg == Message("bulk.too_many", limit=50)
    kept = NotFound("no job #7", msg=Message("job.not_found", id="7"))
    assert kept.message == "no job #7" and kept.msg.code == "job.not_found"


def test_every_refusal_class_builds_through_the_check():
    """A subclass with its own constructor still goes through SiklusError's (no way around the check)."""
    classes = _refusal_classes()
    assert len(classes) > 15
    for kind in classes:
        init = kind.__dict__.get("__init__")
        if init is None:
            continue
        assert "super().__init__(" in inspect.getsource(init), f"{kind.__qualname__} does not call SiklusError's"


def _refusal_names() -> set[str]:
    return {kind.__name__ for kind in _refusal_classes()}


def _is_message(node: ast.expr | None) -> bool:
    """``Message(...)``, or a choice between messages (``a if x else Message(...)``, ``reason or Message(...)``)."""
    if isinstance(node, ast.Call):
        return getattr(node.func, "id", None) == "Message"
    if isinstance(node, ast.IfExp):
        return _is_message(node.body) and _is_message(node.orelse)
    if isinstance(node, ast.BoolOp):
        return _is_message(node.values[-1])
    return False


def _uncoded(path: Path, names: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    foreign = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and not (node.module or "").startswith(("engine", "web")) for alias in node.names}
    names = names - foreign  # werkzeug's Forbidden is an HTTP answer, not a refusal of the engine
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        # These are coded inside their constructor.
        if callee not in names or callee in ("DefinitionError", "DatabaseBusy", "Clash"):
            continue
        first = node.args[0] if node.args else None
        coded = _is_message(first) or any(
            k.arg == "msg" and not (isinstance(k.value, ast.Constant) and k.value.value is None)
            for k in node.keywords)
        if not coded or any(k.arg == "text" for k in node.keywords):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:100]}")
    return found


def test_every_refusal_in_the_source_carries_a_code():
    names = _refusal_names() - {"SiklusError"}  # the base is only subclassed, never raised
    files = [p for top in SCANNED for p in (ROOT / top).rglob("*.py")
             if "migrations" not in p.parts]
    calls = sum(len([n for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))) if isinstance(n, ast.Call)
                     and (getattr(n.func, "id", None) or getattr(n.func, "attr", None)) in names]) for p in files)
    assert calls > 150  # the scan sees the refusals (a broken scan would pass on nothing)
    uncoded = [line for p in files for line in _uncoded(p, names)]
    assert uncoded == [], "refusals without a coded message (raise them with Message(code, **params)):\n" + \
        "\n".join(uncoded)
