"""The Operators group: created with its permissions, idempotently."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from portal.accounts.groups import OPERATOR_PERMISSIONS

pytestmark = pytest.mark.django_db


def test_setup_groups_grants_operators_their_permissions_once(capsys):
    call_command("setup_groups")
    call_command("setup_groups")

    group = Group.objects.get(name="Operators")
    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }
    assert granted == set(OPERATOR_PERMISSIONS)
    assert "Operators: 0 permission(s) added" in capsys.readouterr().out.splitlines()[-1]


def test_operators_see_the_outbound_batches_in_the_zis_menu(operator_client):
    url = reverse("outbound-batches:index")
    assert operator_client.get(url).status_code == 200
    home = operator_client.get(reverse("wagtailadmin_home")).content.decode()
    assert f'"{url}"' in home  # the menu
