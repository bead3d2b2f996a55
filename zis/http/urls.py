"""URLs of the HTTP door for ZIS, mounted at /zis/api/v1/ outside the language prefixes."""

from django.urls import path

from . import views

app_name = "zis-http"

urlpatterns = [
    path("batches/", views.upload_batch, name="batch-upload"),
    path("batches/<str:batch_id>/", views.batch_status_view, name="batch-status"),
]
