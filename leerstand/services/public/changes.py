"""The ETag of a public collection without building it: the change counter of the public data
(``models.public_change``, set at the commit of every write to the tables the collections are
built from) and a fingerprint of everything else the body depends on (the statements and their
parameters: filters, paging, the day, the labels' language, BASE_URL). The counter is read
before the body, so a body is never older than its tag (at worst newer: one extra download)."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

COUNTER = "SELECT counter FROM public_change WHERE id = 1"


def counter(session: Session) -> int:
    """The counter's value now (0 before the first write after the table was emptied)."""
    return session.connection().exec_driver_sql(COUNTER).scalar() or 0


def etag(session: Session, fingerprint: str) -> str:
    return hashlib.sha1(f"{counter(session)}:{fingerprint}".encode()).hexdigest()
