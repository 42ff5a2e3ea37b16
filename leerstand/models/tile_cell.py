"""The pre-aggregated cell counts of the clustered vector tiles (migration 0021).

``TileUnit`` is what the counts were built from, per unit: its town, whether it is public, its
position on a 2³² × 2³² Web Mercator grid (``gx`` east, ``gy`` south). ``TileCell`` holds per
town, zoom 0–16 and cell (4 × 4 per tile) the number of units and the sums of their ``gx``,
``gy`` and ids, once for all units (the register) and once for the public ones (``p…``).
``TilePending`` notes what a transaction changed until the commit-time trigger applies it. The
database keeps all three (triggers and functions of the migration); the app only reads the
cells (``services/public/tile_cells``)."""

from sqlalchemy import BigInteger, Boolean, Index, Integer, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from leerstand.db import Base


class TileUnit(Base):
    __tablename__ = "tile_unit"

    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    municipality_id: Mapped[int] = mapped_column(Integer)
    public: Mapped[bool] = mapped_column(Boolean)
    gx: Mapped[int] = mapped_column(BigInteger)
    gy: Mapped[int] = mapped_column(BigInteger)


class TileCell(Base):
    __tablename__ = "tile_cell"
    __table_args__ = (
        Index("ix_tile_cell_empty", "municipality_id", postgresql_where=text("n = 0")),
    )

    municipality_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    z: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    cx: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    cy: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(BigInteger)
    sx: Mapped[int] = mapped_column(BigInteger)
    sy: Mapped[int] = mapped_column(BigInteger)
    sid: Mapped[int] = mapped_column(BigInteger)
    pn: Mapped[int] = mapped_column(BigInteger)
    psx: Mapped[int] = mapped_column(BigInteger)
    psy: Mapped[int] = mapped_column(BigInteger)
    psid: Mapped[int] = mapped_column(BigInteger)


class TilePending(Base):
    __tablename__ = "tile_pending"

    txid: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    ref: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
