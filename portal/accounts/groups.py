"""The staff groups of an installation: what operators may do in the admin.

Editors come with Wagtail (page permissions). Operators look after customers: they see customers,
supply points and sync runs, issue activation codes, revoke customer links and read the "ask us"
form's submissions (editors do not). Later features add
their permissions here, so `manage.py setup_groups` keeps every installation's group up to date.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

OPERATORS = "Operators"
OPERATOR_PERMISSIONS: tuple[str, ...] = (
    "wagtailadmin.access_admin",
    "portal.view_customer",
    "portal.view_supplypoint",
    "portal.view_meter",
    "portal.view_customerlink",
    "portal.delete_customerlink",
    "portal.view_activationcode",
    "portal.add_activationcode",
    "portal.view_einvoiceconsent",  # customers' e-invoice consents (docs/mailings.md)
    "zis.view_syncrun",
    "portal.view_notification",
    "portal.change_notification",  # resend an e-mail
    "portal.view_selfreadingrequest",  # the queues of customer requests
    "portal.decide_selfreadingrequest",
    "portal.view_addresschangerequest",
    "portal.decide_addresschangerequest",
    "portal.view_advancechangerequest",
    "portal.decide_advancechangerequest",
    "zis.view_outboundbatch",  # ZIS → Outbound batches: what went to ZIS and its answer
    "portal.view_noticesubscription",  # visitors' notice subscriptions (docs/notices.md)
    "portal.delete_noticesubscription",
    "portal.view_apitoken",  # personal API tokens (docs/api.md)
    "portal.delete_apitoken",  # revoke: the admin's delete keeps the row and stops the token
    "cms_pages.view_form_submissions",  # customer service reads the "ask us" messages
)


def ensure_operator_group() -> tuple[Group, int]:
    """Create the Operators group if missing and grant what it lacks; return it and how many
    permissions were added."""
    group, _ = Group.objects.get_or_create(name=OPERATORS)
    wanted = [_permission(label) for label in OPERATOR_PERMISSIONS]
    missing = [
        perm
        for perm in wanted
        if perm is not None and not group.permissions.filter(pk=perm.pk).exists()
    ]
    group.permissions.add(*missing)
    return group, len(missing)


def _permission(label: str) -> Permission | None:
    app_label, codename = label.split(".", 1)
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
