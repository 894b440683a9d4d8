"""Layer models: administrative units, one module per IOC domain, and imported layers."""

from layers.models.access import EditScope, FeaturePhoto, IdempotencyKey
from layers.models.admin_units import AdminUnit
from layers.models.alerts import Alert
from layers.models.base import Feature
from layers.models.citizen import CitizenReport
from layers.models.education import School
from layers.models.exports import ExportJob
from layers.models.health import HealthFacility
from layers.models.imported import ImportedLayer
from layers.models.intake import (
    DataValue,
    Department,
    DepartmentScope,
    IntakeLog,
    IntakeRequest,
    Submission,
)
from layers.models.land import LandParcel
from layers.models.measures import (
    CyberDaily,
    DiseaseWeekly,
    FacilityMonthly,
    MediaDaily,
    SchoolYear,
    TourismMonthly,
)
from layers.models.planning import PlanningZone
from layers.models.public_services import Dossier, ServiceCentre
from layers.models.reporting import ReportDelivery
from layers.models.security import SecurityIncident
from layers.models.socioeconomic import Indicator, IndicatorValue
from layers.models.tourism import TouristSite
from layers.models.traffic import BlackSpot, RoadSegment, TrafficAccident, TrafficCamera

__all__ = [
    "DataValue",
    "Department",
    "DepartmentScope",
    "IntakeLog",
    "IntakeRequest",
    "Submission",
    "Alert",
    "CitizenReport",
    "CyberDaily",
    "DiseaseWeekly",
    "Dossier",
    "FacilityMonthly",
    "Indicator",
    "IndicatorValue",
    "MediaDaily",
    "PlanningZone",
    "ReportDelivery",
    "RoadSegment",
    "SchoolYear",
    "ServiceCentre",
    "TourismMonthly",
    "AdminUnit",
    "EditScope",
    "ExportJob",
    "FeaturePhoto",
    "IdempotencyKey",
    "SecurityIncident",
    "BlackSpot",
    "Feature",
    "HealthFacility",
    "ImportedLayer",
    "LandParcel",
    "School",
    "TouristSite",
    "TrafficAccident",
    "TrafficCamera",
]
