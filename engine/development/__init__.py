"""Competence development that gets done: the training catalogue HR keeps (:mod:`.catalogue`), enrolment
from the recommendation, activities planned -> done with a certificate (:mod:`.activities`), what a reader
sees of it (:mod:`.view`), closing below the JP target (:mod:`.closing`) and the unit's JP report
(:mod:`.report`).

The package imports nothing itself: :mod:`engine.runtime` reads :mod:`.closing` without loading the services.
"""
