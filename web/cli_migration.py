"""What ``siklus migrate-appraisals`` prints of a plan: each move's losses, recomputations and refusals,
in the CLI's language (English keeps the keys an operator's script reads)."""

from __future__ import annotations

import json
from typing import Any

from engine.messages import Message
from engine.migration import AppraisalMove, MigrationPlan, refusal_lines
from web.cli_support import language, text
from web.messages import N_, message_text


def message_line(message: Message) -> str:
    """An engine message on a CLI line: English with keys, Bahasa Indonesia with the cycle's labels."""
    lang = language()
    return message.english() if lang == "en" else message_text(message, lang)


def move_lines(move: AppraisalMove) -> list[tuple[str, str]]:
    """What a planned move makes disappear, recomputes or cannot do, one line each: (what, the details)."""
    out = []
    gone = [(text(N_("IKI %(key)s (realisasi %(value)s)"), key=k, value=f"{v:g}") if v is not None
             else text(N_("IKI %(key)s"), key=k)) for k, v in move.dropped_indicators.items()]
    gone += [text(N_("hasil %(name)s (= %(value)s)"), name=n, value=_json(v)) for n, v in move.dropped_results.items()]
    gone += [text(N_("data tersimpan %(key)s"), key=k) for k in move.dropped_data]
    if gone:
        out.append((text(N_("akan hilang")), ", ".join(gone)))
    if move.recomputed:
        out.append((text(N_("akan dihitung ulang")), ", ".join(
            f"{n} {_json(a)} -> {_json(b)}" for n, (a, b) in move.recomputed.items())))
    for reason in move.stranded:
        out.append((text(N_("tertahan")), message_line(reason)))
    for reason in move.stuck_already:
        out.append((text(N_("pada versinya sekarang pun tidak dapat berlanjut (dipindah apa adanya)")),
                    message_line(reason)))
    return out


def refusal_text(plan: MigrationPlan) -> str:
    """The refusal of a move that would strand appraisals, the appraisals indented."""
    lines = [message_line(m) for m in refusal_lines(plan)]
    return "\n".join([lines[0], *("  " + line for line in lines[1:-1]), lines[-1]])


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
