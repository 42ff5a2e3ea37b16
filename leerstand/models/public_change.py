"""The change counter of the public data, for the ETags of the public API.

``public_change`` has one row whose ``counter`` takes a new value (from the sequence
``public_change_seq``) when a transaction that wrote to a table the public GeoJSON is built from
commits. Statement triggers on those tables (migration 0018) note the writing transaction once
in ``public_change_pending``; a deferred trigger on that note sets the counter at commit time and
removes the note, so the counter row is locked only while a writer commits, never for a whole
transaction, and a reader sees the new value exactly when it sees the new data."""

from sqlalchemy import BigInteger, CheckConstraint, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from leerstand.db import Base


class PublicChange(Base):
    __tablename__ = "public_change"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    counter: Mapped[int] = mapped_column(BigInteger)


class PublicChangePending(Base):
    __tablename__ = "public_change_pending"

    txid: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
