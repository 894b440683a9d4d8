from django.contrib.auth import views as auth_views
from django.urls import include, path

from frontend import (
    alert_views,
    api_views,
    dashboard_views,
    intake_api_views,
    intake_page_views,
    intake_sheet_views,
    search_views,
    views,
    wall_views,
)

urlpatterns = [
    path("", views.portal, name="portal"),
    path("field/", views.field_editor, name="field"),
    path("dashboard/", dashboard_views.overview, name="dashboard"),
    path("wall/", wall_views.wall, name="wall"),
    path("api/wall", wall_views.wall_data, name="wall-data"),
    path("dashboard/reports/", dashboard_views.report_deliveries, name="deliveries"),
    path("dashboard/supply/", dashboard_views.data_supply, name="supply"),
    path("dashboard/supply/<str:code>/", dashboard_views.data_supply_dataset, name="supply-dataset"),
    path("dashboard/<str:domain>/unit/<str:code>/", dashboard_views.unit_view, name="unit"),
    path("dashboard/<str:domain>/", dashboard_views.domain_view, name="domain"),
    path("dashboard/<str:domain>/briefing.html", dashboard_views.domain_briefing, name="briefing"),
    path("api/alerts", alert_views.open_alerts, name="alerts-open"),
    path("api/alerts/<int:pk>/<str:action>", alert_views.alert_action, name="alert-action"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="frontend/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/tokens/", api_views.tokens, name="tokens"),
    path("api/layers/<str:layer_id>/time", api_views.layer_time, name="layer-time"),
    path("api/layers/<str:layer_id>/items/<str:fid>/history", api_views.feature_history, name="history"),
    path("api/layers/<str:layer_id>/items/<str:fid>/restore", api_views.feature_restore, name="restore"),
    path("api/layers/<str:layer_id>/items/<str:fid>/photos", api_views.feature_photos, name="photos"),
    path("api/layers/<str:layer_id>/items/<str:fid>/photos/<int:photo_id>", api_views.feature_photo,
         name="photo"),
    path("export/<str:layer_id>", api_views.export, name="export"),
    path("reports/<str:code>", api_views.report_status, name="report-status"),
    path("api/citizen-reports/duplicates", api_views.report_duplicates, name="report-duplicates"),
    path("api/search", search_views.search, name="search"),
    path("export/jobs/<uuid:job_id>", api_views.export_job, name="export-job"),
    # departments supply their data: the push API, spreadsheets, entry forms
    path("", include(intake_api_views.urlpatterns)),
    path("", include(intake_sheet_views.urlpatterns)),
    path("", include(intake_page_views.urlpatterns)),
]
