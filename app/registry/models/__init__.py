"""The land-release store. One module per concept; import from here."""

from app.registry.models.admin_units import AdminUnit, BoundarySet, Level
from app.registry.models.hazards import Contamination, HazardArea, HazardKind
from app.registry.models.history import VERSIONED_TABLES, RecordVersion, VersionAction
from app.registry.models.organisations import Organisation, OrganisationKind
from app.registry.models.releases import ReleaseArea, ReleaseMethod
from app.registry.models.review import ReviewStatus
from app.registry.models.spot_tasks import SpotTask
from app.registry.models.targets import AnnualTarget, TargetMetric
from app.registry.models.villages import Village

__all__ = [
    "AdminUnit",
    "AnnualTarget",
    "BoundarySet",
    "Contamination",
    "HazardArea",
    "HazardKind",
    "Level",
    "Organisation",
    "RecordVersion",
    "OrganisationKind",
    "ReleaseArea",
    "ReleaseMethod",
    "ReviewStatus",
    "SpotTask",
    "TargetMetric",
    "VERSIONED_TABLES",
    "VersionAction",
    "Village",
]
