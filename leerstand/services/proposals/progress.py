"""What an initiative may see of the work on its proposal: how many owners were asked, how many
said yes, and the interim uses agreed for it. Owners' names never appear here (the owner's
``share_contact`` consent decides that, and then the initiative gets the contact by mail)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leerstand.models import InterimUse, Match, Proposal, UseRequest
from leerstand.models.use_request import YES_ANSWERS


@dataclass
class Progress:
    shortlisted: int = 0
    requests: int = 0
    answered: int = 0
    yes: int = 0
    interim_uses: list[InterimUse] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.shortlisted or self.requests or self.interim_uses)


def of_proposal(session: Session, proposal: Proposal) -> Progress:
    shortlisted = session.scalar(
        select(func.count())
        .select_from(Match)
        .where(Match.proposal_id == proposal.id, Match.status == "shortlisted")
    )
    counts = session.execute(
        select(
            func.count(),
            func.count(UseRequest.answered_at),
            func.count().filter(UseRequest.answer.in_(YES_ANSWERS)),
        )
        .join(Match, Match.id == UseRequest.match_id)
        .where(Match.proposal_id == proposal.id)
    ).one()
    uses = session.scalars(
        select(InterimUse)
        .where(InterimUse.proposal_id == proposal.id)
        .order_by(InterimUse.starts_on.desc(), InterimUse.id.desc())
    )
    return Progress(shortlisted or 0, counts[0], counts[1], counts[2], list(uses))
