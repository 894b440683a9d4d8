"""Domain measures over time: health, education, cyber, media, tourism."""

from django.db import models


class DiseaseWeekly(models.Model):
    """Weekly infectious-disease cases per commune, with the commune's outbreak threshold."""

    commune = models.ForeignKey("layers.AdminUnit", on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="Monday of the ISO week")
    disease = models.CharField(max_length=20)  # dengue, hfmd, ...
    cases = models.PositiveIntegerField()
    threshold = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "week", "disease"], name="one_disease_week")]
        indexes = [models.Index(fields=["week", "disease"])]


class FacilityMonthly(models.Model):
    facility = models.ForeignKey("layers.HealthFacility", on_delete=models.CASCADE, related_name="months")
    month = models.DateField()
    examinations = models.PositiveIntegerField()
    inpatients = models.PositiveIntegerField()

    class Meta:  # one row per facility and month: department intake writes into it by this key
        constraints = [models.UniqueConstraint(fields=["facility", "month"], name="one_facility_month")]


class SchoolYear(models.Model):
    school = models.ForeignKey("layers.School", on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(help_text="school year starting in this year")
    enrolment = models.PositiveIntegerField()
    teachers = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="one_school_year")]


class CyberDaily(models.Model):
    """Threats detected and handled per day, agency and district."""

    day = models.DateField(db_index=True)
    district = models.ForeignKey("layers.AdminUnit", on_delete=models.CASCADE, related_name="+")
    agency = models.CharField(max_length=120)
    threat = models.CharField(max_length=20)  # malware, phishing, intrusion, ddos, defacement
    detected = models.PositiveIntegerField()
    handled = models.PositiveIntegerField()


class MediaDaily(models.Model):
    """Press and social-media mentions per day, district, source, topic and sentiment."""

    day = models.DateField(db_index=True)
    district = models.ForeignKey("layers.AdminUnit", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10)  # news, facebook, youtube, forum
    topic = models.CharField(max_length=20)
    sentiment = models.CharField(max_length=8)  # positive, neutral, negative
    mentions = models.PositiveIntegerField()


class TourismMonthly(models.Model):
    site = models.ForeignKey("layers.TouristSite", on_delete=models.CASCADE, related_name="months")
    month = models.DateField()
    visitors = models.PositiveIntegerField()
    revenue_mvnd = models.FloatField(help_text="million VND")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "month"], name="one_site_month")]
