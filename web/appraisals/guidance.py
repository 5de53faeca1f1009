"""The guidance of an appraisal (:mod:`engine.detail.guidance`) as sentences in the reader's language: what
happens next, who must do it, by when, what is still missing, and the comment addressed to the reader.

The appraisal page shows it at the top and the evaluation PDF prints it; nothing here queries the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _

from engine.definition import Text
from engine.detail import Guidance, Missing, NextStep
from web.filters import current_language, local_time, localized, time_left
from web.forms import FIELD_LABELS, field_label


def _who(labels: Iterable[Text], people: Iterable[Iterable[str]] = ()) -> str:
    """Each role by its label, with the names of the people holding it: "Pejabat Penilai Kinerja (Hendra)"."""
    return ", ".join(_holders(labels, people))


def _holders(labels: Iterable[Text], people: Iterable[Iterable[str]] = ()) -> list[str]:
    """Each role with its holders' names; a role the appraisal names nobody for says so (when people are given)."""
    named = [tuple(n) for n in people]
    shown = []
    for n, label in enumerate(labels):
        if n < len(named) and not named[n]:
            nobody = _("belum ada pemegangnya")
            shown.append(f"{localized(label)} ({nobody})")
            continue
        names = ", ".join(named[n]) if n < len(named) else ""
        shown.append(f"{localized(label)} ({names})" if names and names != localized(label) else localized(label))
    return shown


def missing_sentence(item: Missing) -> str:
    """One missing thing and who may supply it, e.g. "Realisasi IKI 2 (…) belum diisi; yang dapat mengisi: Pegawai"."""
    who = _who(item.role_labels) or _("tidak seorang pun menurut siklus ini")
    if item.kind == "skp":
        text = _("SKP belum memuat IKI (paling sedikit %(n)s); yang dapat mengisi: %(who)s.", n=item.wanted, who=who)
    elif item.kind == "feedback":
        text = _("Umpan balik «%(window)s» baru %(answers)s dari %(wanted)s jawaban; yang dapat mengisi: %(who)s.",
                 window=localized(item.label), answers=item.answers, wanted=item.wanted, who=who)
    elif item.position is not None:
        text = _("Realisasi IKI %(n)s (%(label)s) belum diisi; yang dapat mengisi: %(who)s.",
                 n=item.position, label=localized(item.label), who=who)
    else:
        text = _("Realisasi «%(label)s» belum diisi; yang dapat mengisi: %(who)s.", label=localized(item.label),
                 who=who)
    if not item.here:
        text += " " + _("(Tidak dapat dicatat pada tahap ini: lihat «Data yang belum lengkap».)")
    return text


def _asked(step: NextStep) -> list[str]:
    """The fields a step requires: the cycle's titles (Indonesian), or in English the form's labels."""
    lang = current_language()
    if lang == "id" or len(step.ask_keys) != len(step.asks):
        return [str(FIELD_LABELS.get(a, a)) for a in step.asks]
    return [field_label(key, lang) for key in step.ask_keys]


def _step(step: NextStep) -> dict[str, Any]:
    notes = []
    if step.closes_at is not None:
        left = time_left(step.closes_at)
        if left and left["overdue"]:
            # A time window that has closed is no step anyone can take any more, not one that is late.
            notes.append(_("Tidak dapat dilakukan lagi: waktunya berakhir pada %(when)s.",
                           when=local_time(step.closes_at)))
        else:
            notes.append(_("Paling lambat %(when)s", when=local_time(step.closes_at))
                         + (f" ({left['text']})" if left else ""))
    notes += [_("Syarat: %(condition)s", condition=localized(c)) for c in step.conditions]
    if step.asks:
        notes.append(_("Wajib diisi: %(fields)s", fields=", ".join(_asked(step))))
    if step.automatic:
        notes.append(_("Dijalankan otomatis oleh sistem bila tenggat tahap ini lewat."))
    if step.irreversible:
        notes.append(_("Tidak dapat dibatalkan setelah dilakukan."))
    if step.then_nobody:
        notes.append(_("Setelah langkah ini penilaian menunggu %(roles)s, tetapi peran itu belum dipegang siapa pun "
                       "untuk penilaian ini: SDM perlu menunjuk pemegangnya di halaman Pejabat penilai pejabat "
                       "puncak.", roles=", ".join(localized(r) for r in step.then_nobody)))
    return {"trigger": step.trigger, "label": localized(step.label), "mine": step.mine,
            "who": _who(step.role_labels, step.people), "dest": localized(step.dest_label), "notes": notes}


def _deadline(guidance: Guidance) -> str:
    deadline = guidance.deadline
    if deadline is None:
        return ""
    left = time_left(deadline.due_at)
    when = local_time(deadline.due_at) + (f" ({left['text']})" if left else "")
    if deadline.then == "fire" and deadline.fires is not None:
        return _("Tenggat tahap ini %(when)s; setelah itu sistem menjalankan «%(action)s».", when=when,
                 action=localized(deadline.fires))
    if deadline.then == "escalate":
        return _("Tenggat tahap ini %(when)s; setelah itu diteruskan kepada atasan.", when=when)
    return _("Tenggat tahap ini %(when)s; setelah itu pengingat dikirim.", when=when)


def guidance_view(guidance: Guidance | None) -> dict[str, Any] | None:
    """The "what happens next" box: who the appraisal waits for, the steps, the deadline, what is missing,
    and the comment addressed to the reader."""
    if guidance is None:
        return None
    shown = [s for s in guidance.steps if not s.automatic or s.mine or len(guidance.steps) == 1]
    steps = [_step(s) for s in shown]
    automatic = [s for s in guidance.steps if s.automatic and not s.mine and len(guidance.steps) > 1]
    mine = [s for s in steps if s["mine"]]
    if guidance.closed:
        summary = _("Penilaian ini sudah ditutup; tidak ada langkah berikutnya.")
    elif guidance.final:
        summary = _("Siklus penilaian ini sudah selesai; tidak ada langkah berikutnya.")
    elif mine:
        summary = _("Langkah berikutnya ada pada Anda.")
    elif steps:
        # Each holder once, though they may take several of the steps.
        waiting = dict.fromkeys(h for s in shown for h in _holders(s.role_labels, s.people))
        summary = _("Menunggu: %(who)s.", who=", ".join(waiting))
        if not any(names for s in shown for names in s.people):
            # Nobody holds the roles (e.g. no direct supervisor on record): the appraisal would wait for ever.
            summary += " " + _("Belum ada yang dapat melakukan langkah berikutnya: peran itu belum dipegang siapa pun "
                               "untuk penilaian ini. SDM perlu melengkapi data atasan langsung pegawai, atau menunjuk "
                               "pemegang peran itu di halaman Pejabat penilai pejabat puncak.")
    else:
        summary = _("Menunggu tenggat tahap ini.")
    comment = None
    if guidance.comment is not None:
        c = guidance.comment
        comment = {"text": c.text, "author": c.author, "role": localized(c.role_label) if c.role_label else "",
                   "action": localized(c.transition_label) if c.transition_label else "", "at": c.at}
    return {"summary": summary, "steps": steps, "deadline": _deadline(guidance),
            "automatic": [localized(s.label) for s in automatic],
            "missing": [missing_sentence(m) for m in guidance.missing], "comment": comment}
