"""Registers the ZIS admin viewsets (defined in `viewsets.py`) and their permission policy."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from portal.lib.admin import RestrictedPermissionPolicy
from zis.models import SyncRun

from .viewsets import ZisViewSetGroup, add_sync_runs_panel

# Sync runs are written by the importer only: operators may view them, nobody changes them.
register_permission_policy(SyncRun, RestrictedPermissionPolicy(SyncRun, {"view"}))


@hooks.register("register_admin_viewset")
def register_zis_viewsets() -> ZisViewSetGroup:
    return ZisViewSetGroup()


hooks.register("construct_homepage_panels", add_sync_runs_panel)
