"""Data supplied by departments: who belongs to which department, one submission per data
set, organisation unit and period (draft → submitted → approved), its values with their
history, and the idempotency record of the push API. The data sets themselves are
declarations (operations/domains/*.py), so these tables name them by code."""

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A provincial department (sở, ban, ngành). Data, since provinces reorganise them."""

    code = models.CharField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sở, ban, ngành")
        verbose_name_plural = _("sở, ban, ngành")

    def __str__(self) -> str:
        return self.name


class DepartmentScope(models.Model):
    """A user's place in a department: an officer enters its data sets, a head also approves;
    with a district, only that district's units (and the facilities in it)."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("Cán bộ nhập liệu")
        HEAD = "head", _("Lãnh đạo phê duyệt")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="department_scopes")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="scopes")
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices, default=Role.OFFICER)
    district = models.ForeignKey(
        "layers.AdminUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        limit_choices_to={"level": "district"},
        related_name="+",
    )

    class Meta:
        verbose_name = _("phạm vi cung cấp dữ liệu")

    def __str__(self) -> str:
        return f"{self.user}: {self.department.code} ({self.role}) @ {self.district or 'toàn tỉnh'}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Submission(models.Model):
    """One data set's report for one organisation unit and period; its states (submitted,
    approved, reopened with a reason, deleted) are kept by triggers, as its values' versions are."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
        APPROVED = "approved", _("Đã phê duyệt")

    class Channel(models.TextChoices):
        FORM = "form", _("Biểu mẫu")
        UPLOAD = "upload", _("Tệp bảng tính")
        API = "api", _("API")
        DEMO = "demo", _("Dữ liệu mẫu")

    dataset = models.CharField(_("bộ dữ liệu"), max_length=60)
    org_id = models.BigIntegerField(_("đơn vị báo cáo"))  # an admin unit or a facility, per the data set
    org_kind = models.CharField(max_length=40, default="")  # what org_id points at: an admin level or a facility table
    period = models.DateField(_("kỳ"), help_text="first day of the period")
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("gửi lần đầu"), null=True, blank=True)  # timeliness reads this
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_at = models.DateTimeField(_("mở lại lúc"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopen_reason = models.CharField(_("lý do mở lại"), max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "org_id", "period"], name="one_submission")]
        indexes = [models.Index(fields=["dataset", "period", "status"])]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class DataValue(models.Model):
    """One element's value in a submission; every earlier version is kept by triggers."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    element = models.CharField(_("chỉ tiêu"), max_length=40)
    value = models.FloatField(_("giá trị"))
    outlier = models.BooleanField(_("giá trị bất thường"), default=False)  # far from the unit's history
    outlier_confirmed = models.BooleanField(_("đã xác nhận giá trị bất thường"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(_("nhập lúc"))
    channel = models.CharField(_("kênh"), max_length=10, choices=Submission.Channel.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "element"], name="one_value_per_element")]


class IntakeRequest(models.Model):
    """A push already stored under this client's Idempotency-Key: a resend gets the same answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    dataset = models.CharField(max_length=60)
    fingerprint = models.CharField(max_length=64)  # sha256 of the body: the same key with another body is refused
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_intake_request_per_key")]


class IntakeLog(models.Model):
    """Every attempt to store values, accepted or refused, with its report: an officer sees
    what happened to each upload, a leader how often a department's data bounced."""

    dataset = models.CharField(max_length=60, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(max_length=10, choices=Submission.Channel.choices)
    accepted = models.BooleanField()
    values = models.PositiveIntegerField(default=0)  # values stored (accepted) or offered (refused)
    errors = models.JSONField(default=list, blank=True)  # the first errors of a refused attempt
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
