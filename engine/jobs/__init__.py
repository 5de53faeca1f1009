"""Background jobs: long work (bulk actions above a threshold, large launches) taken off the request,
kept as rows and worked through by ``siklus worker`` (:mod:`engine.jobs.worker`)."""

from engine.job_models import Job, JobItem
from engine.jobs.queue import ItemResult, JobKind, JobView, claim, enqueue, job_view, run_job

__all__ = ["ItemResult", "Job", "JobItem", "JobKind", "JobView", "claim", "enqueue", "job_view", "run_job"]
