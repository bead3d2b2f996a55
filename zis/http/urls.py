"""URLs of the HTTP door for ZIS, mounted at /zis/api/v1/ outside the language prefixes."""

from django.urls import path

from . import outbound_views, views

app_name = "zis-http"

urlpatterns = [
    path("batches/", views.upload_batch, name="batch-upload"),
    path("batches/<str:batch_id>/", views.batch_status_view, name="batch-status"),
    # The outbound pull (zis/EXCHANGE.md § 4.5): batches for ZIS and its acknowledgements.
    path("outbound/", outbound_views.outbound_list, name="outbound-list"),
    path("outbound/<str:batch_id>/", outbound_views.outbound_batch, name="outbound-batch"),
    path("outbound/<str:batch_id>/ack/", outbound_views.outbound_ack, name="outbound-ack"),
]
