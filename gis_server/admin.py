from django.contrib import admin

from gis_server.models import ApiToken
from gis_server.roles import is_administrator


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see and revoke anyone's tokens (the key itself is never stored)."""

    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at")
    actions = ["revoke"]

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return False

    @admin.action(description="Thu hồi / Revoke")
    def revoke(self, request, queryset):
        for tok in queryset.filter(revoked_at__isnull=True):
            tok.revoke()
