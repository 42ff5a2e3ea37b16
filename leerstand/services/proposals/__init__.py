"""Proposals (Ideen): an initiative's interim-use ideas, their values and states,
moderation and its digest mail, and an idea's progress for the initiative."""
