"""What the demo's past ideas were (``seed.history``): seven that became interim uses over the
last five years and ended, and two that found no space. Plain data: the titles and descriptions
are public (the report shows them), fictional and name no person."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PastUse:
    """A realised idea: its interim use, how it ended, how its owner was asked."""

    starts: int  # days before today
    days: int  # length
    outcome: str
    use_kind: str
    title: str
    description: str
    channel: str  # of the owner's use request
    kinds: tuple[str, ...]  # the kinds of unit the idea wished for, best first
    initiative: int  # index among the town's initiatives (jugend, kunst, repair)


PAST_USES = (
    PastUse(1490, 62, "back_to_vacant", "popup", "Weihnachtsladen Harzer Handwerk",
            "Sechs Wochen lang Holzspielzeug, Keramik und Wolle aus dem Harz.", "letter",
            ("shop",), 1),
    PastUse(1300, 120, "let_permanently", "exhibition", "Fotoausstellung „Ballenstedt im Wandel“",
            "Alte und neue Ansichten der Stadt im leeren Schaufenster.", "email",
            ("shop", "gastro"), 1),
    PastUse(1150, 300, "vacancy_ended", "youth", "Jugendtreff auf Zeit",
            "Ein Winter lang Treffpunkt mit Kicker und Hausaufgabenhilfe.", "letter",
            ("whole_building", "hall", "shop"), 0),
    PastUse(900, 240, "back_to_vacant", "workshop", "Fahrradwerkstatt für alle",
            "Werkzeug, Ersatzteile und Hilfe beim Reparieren – samstags geöffnet.", "email",
            ("workshop", "shop", "whole_building"), 2),
    PastUse(600, 120, "let_permanently", "atelier", "Sommerateliers im Obergeschoss",
            "Drei Künstlerinnen arbeiteten einen Sommer lang in der leeren Wohnung.", "email",
            ("flat", "office"), 1),
    PastUse(500, 330, "vacancy_ended", "office", "Coworking auf Probe",
            "Schreibtische für Pendler:innen, die lieber in Ballenstedt arbeiten.", "letter",
            ("office", "flat", "shop"), 2),
    PastUse(400, 75, "let_permanently", "cafe", "Adventscafé",
            "Kuchen, Kaffee und Gespräche in der Adventszeit.", "email", ("shop", "gastro"), 2),
)  # fmt: skip
# Ideas that found no space: (published days ago, state, use kind, title, description,
# answers [(channel, answer or None)] of the owners asked)
NO_SPACE = (
    (1000, "expired", "club", "Proberaum im Keller", "Ein trockener Raum für zwei Schulbands.",
     [("letter", "no"), ("email", None)]),
    (700, "withdrawn", "cafe", "Lesecafé", "Bücher tauschen bei Tee und Kuchen.",
     [("email", "more_info"), ("letter", "no")]),
)  # fmt: skip
