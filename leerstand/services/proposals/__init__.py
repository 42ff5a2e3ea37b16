"""Proposals (Ideen): an initiative's interim-use proposals, their values and states,
moderation and its digest mail, and a proposal's progress for the initiative."""
