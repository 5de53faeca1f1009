"""What notices say, in Bahasa Indonesia and English: one template per kind of notice, filled by
:mod:`engine.notifications` with the cycle's own labels (states, transitions, roles)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "id": {
        "action_needed.subject": "Perlu tindakan: {state} – {employee}",
        "action_needed.body": "Penilaian kinerja {employee} ({cycle}, periode {period}) kini berada pada tahap "
                              "\"{state}\".\nYang dapat Anda lakukan: {actions}.",
        "reminder.subject": "Pengingat tenggat: {state} – {employee}",
        "reminder.body": "Tenggat tahap \"{state}\" pada penilaian kinerja {employee} (periode {period}) telah "
                         "lewat ({due}).\nYang dapat Anda lakukan: {actions}.",
        "escalation.subject": "Tenggat terlewat: {state} – {employee}",
        "escalation.body": "Tahap \"{state}\" pada penilaian kinerja {employee} (periode {period}) melewati "
                           "tenggat ({due}) dan diteruskan kepada SDM.\nMenunggu: {waiting}.",
        "nobody": "belum ada pemegang peran",
        "and": ", ",
        "skp": "menyusun SKP",
        "realisation": "mencatat realisasi",
        "feedback": "memberi umpan balik",
        "development": "mencatat pengembangan kompetensi",
        "follow": "menindaklanjuti",
        "checkpoint.subject": "{entry} {checkpoint} – {employee}",
        "checkpoint.body": "Pada penilaian kinerja {employee} (periode {period}) tercatat {entry} untuk {checkpoint}."
                           "\nYang dapat Anda lakukan: {actions}.",
        "entry.report": "Laporan", "entry.self_assessment": "Penilaian diri", "entry.feedback": "Tanggapan penilai",
        "entry.rating": "Penilaian periodik",
        "respond": "menanggapi atau menilai", "read": "membaca dan menindaklanjuti",
        "system": "sistem (tenggat)",
        "step": "Langkah terakhir: \"{transition}\" oleh {by}.",
        "employee.subject": "Penilaian kinerja Anda: {state}",
        "employee.body": "{by} telah melakukan \"{transition}\" pada penilaian kinerja Anda ({cycle}, periode "
                         "{period}).\nTahap sekarang: \"{state}\".",
        "closed.subject": "Penilaian kinerja Anda selesai: {state}",
        "closed.body": "Penilaian kinerja Anda ({cycle}, periode {period}) telah ditutup setelah \"{transition}\" "
                       "oleh {by}.\nTahap akhir: \"{state}\". Hasil akhirnya ada di halaman penilaian.",
    },
    "en": {
        "action_needed.subject": "Action needed: {state} – {employee}",
        "action_needed.body": "The performance appraisal of {employee} ({cycle}, period {period}) is now at "
                              "\"{state}\".\nWhat you can do: {actions}.",
        "reminder.subject": "Deadline reminder: {state} – {employee}",
        "reminder.body": "The deadline of \"{state}\" in the performance appraisal of {employee} (period {period}) "
                         "has passed ({due}).\nWhat you can do: {actions}.",
        "escalation.subject": "Deadline missed: {state} – {employee}",
        "escalation.body": "\"{state}\" in the performance appraisal of {employee} (period {period}) is past its "
                           "deadline ({due}) and has been passed on to HR.\nWaiting for: {waiting}.",
        "nobody": "no one holds the role yet",
        "and": ", ",
        "skp": "draft the SKP",
        "realisation": "record realisation",
        "feedback": "give feedback",
        "development": "record competence development",
        "follow": "follow up",
        "checkpoint.subject": "{entry} {checkpoint} – {employee}",
        "checkpoint.body": "The performance appraisal of {employee} (period {period}) has a new {entry_lower} for "
                           "{checkpoint}.\nWhat you can do: {actions}.",
        "entry.report": "Report", "entry.self_assessment": "Self-assessment", "entry.feedback": "Rater's response",
        "entry.rating": "Periodic rating",
        "respond": "respond or rate", "read": "read it and follow up",
        "system": "the system (a deadline)",
        "step": "Last step: \"{transition}\" by {by}.",
        "employee.subject": "Your performance appraisal: {state}",
        "employee.body": "{by} did \"{transition}\" on your performance appraisal ({cycle}, period {period})."
                         "\nIt is now at \"{state}\".",
        "closed.subject": "Your performance appraisal is complete: {state}",
        "closed.body": "Your performance appraisal ({cycle}, period {period}) was closed after \"{transition}\" "
                       "by {by}.\nFinal stage: \"{state}\". The final results are on the appraisal's page.",
    },
}
