"""My account, at /ucet/ (Czech) and /en/ucet/ (English); namespace `portal-account`."""

from django.urls import path

from . import views

app_name = "portal-account"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("pripojit-odberatele/", views.link_customer, name="link-customer"),
    path("odberatele/<int:link_pk>/odpojit/", views.unlink_customer, name="unlink-customer"),
    path("nastaveni/", views.preferences, name="preferences"),
    path("moje-data/", views.export_data, name="export-data"),
]
