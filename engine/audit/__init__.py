"""The audit log: one keyed hash chain per appraisal plus the system chain, written in one place.

* :mod:`engine.audit.chain`: what an event is, its canonical form, its keyed hash (no database);
* :mod:`engine.audit.writer`: the one writer every recorded change goes through;
* :mod:`engine.audit.verify`: ``siklus audit verify``: links, keys, signed heads and the data replayed;
* :mod:`engine.audit.scale`: the same over the whole log in parallel processes, incremental and resumable;
* :mod:`engine.audit.rekey`: ``siklus audit rekey``: re-signing with the current key.

See docs/audit.md.
"""

from engine.audit.chain import (
    SYSTEM_STREAM,
    EventInfo,
    UnknownAuditKey,
    appraisal_stream,
    checkpoint_of,
    checkpoint_signature,
    event_fields,
    event_hash,
)
from engine.audit.rekey import RekeyReport, rekey
from engine.audit.scale import VerifyReport, verify_all
from engine.audit.verify import ChainReport, HeadCheck, check_head, check_link, verify_chain
from engine.audit.writer import (
    Creation,
    RecordedEvent,
    TransitionWriter,
    append_appraisal_event,
    append_system_event,
    append_unversioned_event,
    checkpoint_upsert,
    record_creations,
)

__all__ = [
    "SYSTEM_STREAM", "ChainReport", "Creation", "EventInfo", "HeadCheck", "RecordedEvent", "RekeyReport",
    "TransitionWriter", "UnknownAuditKey", "VerifyReport", "append_appraisal_event", "append_system_event",
    "append_unversioned_event",
    "appraisal_stream",
    "check_head", "check_link", "checkpoint_of", "checkpoint_signature", "checkpoint_upsert", "event_fields",
    "event_hash", "record_creations", "rekey", "verify_all", "verify_chain",
]
