"""manage.py create_operator EMAIL: a staff account in the Operators group.

The password is asked twice on the terminal (or read from standard input with
``--password-stdin``) and checked by the password validators. The e-mail address is marked
verified. The operator has no authenticator yet: at the first sign-in the admin sends them to
set up an authenticator app (TOTP) before anything else (portal/accounts/middleware.py), so
every staff session is protected by MFA from the start.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from portal.accounts.groups import ensure_operator_group


class Command(BaseCommand):
    help = "Create a staff user in the Operators group; they set up MFA (TOTP) at first sign-in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the operator's e-mail address (their login)")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--superuser",
            action="store_true",
            help="also a superuser (may manage users, groups and settings)",
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"{email!r} is not a valid e-mail address.") from exc
        user_model = get_user_model()
        if (
            user_model.objects.filter(email__iexact=email).exists()
            or EmailAddress.objects.filter(email__iexact=email).exists()
        ):
            raise CommandError(f"An account with the address {email} already exists.")
        user = user_model(
            username=email[:150],
            email=email,
            first_name=options["first_name"],
            last_name=options["last_name"],
            is_staff=True,
            is_superuser=options["superuser"],
        )
        password = self.read_password(options["password_stdin"])
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("The password was refused: " + " ".join(exc.messages)) from exc
        user.set_password(password)
        with transaction.atomic():
            user.save()
            group, _added = ensure_operator_group()
            user.groups.add(group)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        self.stdout.write(
            f"Created the operator {email} (group {group.name}"
            f"{', superuser' if user.is_superuser else ''}). At the first sign-in to /admin/ "
            "they must set up an authenticator app (TOTP) and keep their recovery codes."
        )

    def read_password(self, from_stdin: bool) -> str:
        if from_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        if not password:
            raise CommandError("The password is empty.")
        return password
