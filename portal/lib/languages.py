"""The interface languages: Czech first, English second."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    CZECH = "cs", _("Czech")
    ENGLISH = "en", _("English")


# Each language named in itself, so that anyone finds their own.
NATIVE_NAMES = {Language.CZECH: "Čeština", Language.ENGLISH: "English"}


def language_check(name: str) -> models.CheckConstraint:
    """The database refuses a language the interface does not speak."""
    return models.CheckConstraint(condition=models.Q(language__in=Language.values), name=name)
