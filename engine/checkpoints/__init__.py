"""Periodic checkpoints inside a run (PermenPAN-RB 6/2022 art. 5: periodic and annual evaluation).

A cycle declares series of checkpoints (``checkpoints:`` in the cycle file: monthly, quarterly or
explicit dates). Each checkpoint keeps its own realisations per IKI, the employee's report and
self-assessment, the rater's feedback and a periodic rating with its own results; nothing is
overwritten, so the year reads as a timeline. The modules:

- :mod:`engine.checkpoints.periods`: the checkpoints of a run (boundaries in ``SIKLUS_TIMEZONE``);
- :mod:`engine.checkpoints.series`: what rules read (``checkpoints.triwulan[*].results.predikat``);
- :mod:`engine.checkpoints.service`: recording entries (one unit of work each, audited);
- :mod:`engine.checkpoints.closing`: ``siklus tick`` closing checkpoints whose deadline passed;
- :mod:`engine.checkpoints.timeline`: the timeline as the page, the PDF and the API show it;
- :mod:`engine.checkpoints.chain`: replaying and verifying checkpoint events (``siklus audit verify``);
- :mod:`engine.checkpoints.validation`: what ``siklus validate`` checks of a ``checkpoints:`` section.
"""
