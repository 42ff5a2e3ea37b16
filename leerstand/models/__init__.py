"""All mapped classes, imported here so that ``Base.metadata`` knows every table."""

from leerstand.models.access_event import AccessEvent
from leerstand.models.api_token import ApiToken
from leerstand.models.audit import AuditEvent
from leerstand.models.building import Building, Unit
from leerstand.models.consent import Consent
from leerstand.models.contact import ContactCase, ContactEvent
from leerstand.models.import_batch import ImportBatch
from leerstand.models.initiative import Initiative
from leerstand.models.interim_use import InterimUse
from leerstand.models.job_progress import JobProgress
from leerstand.models.login_session import LoginSession
from leerstand.models.matching import Match
from leerstand.models.media import MediaFile, MediaTrash
from leerstand.models.municipality import District, FocusArea, Municipality
from leerstand.models.owner import Owner, Ownership
from leerstand.models.password_reset import PasswordReset
from leerstand.models.proposal import Proposal, proposal_district
from leerstand.models.public_change import PublicChange, PublicChangePending
from leerstand.models.task_run import TaskRun
from leerstand.models.tile_cell import TileCell, TilePending, TileUnit
from leerstand.models.use_request import UseRequest
from leerstand.models.user import User
from leerstand.models.vacancy_period import VacancyPeriod, VacancyRun
from leerstand.models.vacancy_report import VacancyReport

__all__ = [
    "AccessEvent",
    "ApiToken",
    "AuditEvent",
    "Building",
    "Consent",
    "ContactCase",
    "ContactEvent",
    "District",
    "FocusArea",
    "ImportBatch",
    "Initiative",
    "InterimUse",
    "JobProgress",
    "LoginSession",
    "Match",
    "MediaFile",
    "MediaTrash",
    "Municipality",
    "Owner",
    "Ownership",
    "PasswordReset",
    "Proposal",
    "PublicChange",
    "PublicChangePending",
    "Unit",
    "TaskRun",
    "TileCell",
    "TilePending",
    "TileUnit",
    "UseRequest",
    "User",
    "VacancyPeriod",
    "VacancyReport",
    "VacancyRun",
    "proposal_district",
]
