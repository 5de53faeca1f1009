"""Refresh the English catalogue: extract messages from the code, keep existing translations, take new
ones from ``parts/*.po`` (translations written beside a feature), and compile the ``.mo``.

The engine's coded messages (:mod:`engine.messages`) enter the catalogue here too: each code's
Indonesian template is a msgid and its English the translation, so screens and the CLI render them
through the same catalogue as every other text.

Run from the project root: ``python web/translations/merge.py``. Exits 1 listing untranslated messages.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from engine.messages.registry import TEXTS  # noqa: E402  (the project root is on the path only now)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CATALOGUE = HERE / "en" / "LC_MESSAGES" / "messages.po"


def _translated(message: Message) -> bool:
    return bool(all(message.string) if isinstance(message.string, tuple) else message.string)


def main() -> int:
    pot = HERE / "messages.pot"
    # Translations known before this run: a text that drops out of the extraction for a moment (a
    # template being edited) and comes back must not lose its English.
    with open(CATALOGUE, "rb") as f:
        known = {m.id: m.string for m in read_po(f, locale="en") if m.id and _translated(m)}
    pybabel = str(Path(sys.executable).parent / "pybabel")
    subprocess.run([pybabel, "-q", "extract", "-F", str(HERE.parent / "babel.cfg"), "-k", "_l", "-k", "N_",
                    "--no-location", "--sort-output", "--project=Siklus", "--version=0.1.0", "-o", str(pot), "web"],
                   cwd=ROOT, check=True)
    subprocess.run([pybabel, "-q", "update", "--no-fuzzy-matching", "--ignore-obsolete", "-i", str(pot),
                    "-d", str(HERE), "-l", "en"], cwd=ROOT, check=True)
    pot.unlink()
    with open(CATALOGUE, "rb") as f:
        catalogue = read_po(f, locale="en")
    for part in sorted((HERE / "parts").glob("*.po")):
        with open(part, "rb") as f:
            for message in read_po(f, locale="en"):
                if message.id and _translated(message):
                    known.setdefault(message.id, message.string)
    for current in catalogue:
        if current.id and not _translated(current) and current.id in known:
            current.string = known[current.id]
            current.flags.discard("fuzzy")
    for code, text in sorted(TEXTS.items()):
        entry = catalogue.get(text.id)
        if entry is None:
            catalogue.add(text.id, text.en, auto_comments=[f"engine message {code}"],
                          flags=["python-format"] if "%(" in text.id else [])
        elif entry.string != text.en:
            print(f"engine message {code}: the catalogue translates its text otherwise; keeping "
                  f"{entry.string!r}", file=sys.stderr)
    with open(CATALOGUE, "wb") as f:
        write_po(f, catalogue, width=120, omit_header=False)
    with open(CATALOGUE.with_suffix(".mo"), "wb") as f:
        write_mo(f, catalogue)
    missing = [m.id for m in catalogue if m.id and not _translated(m)]
    for msgid in missing:
        print(f"untranslated: {msgid if isinstance(msgid, str) else msgid[0]}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
