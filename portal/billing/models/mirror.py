"""What every row mirrored from ZIS shares: its stable ZIS key and ZIS's last change time."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ZisMirrored(models.Model):
    """A row owned by ZIS: keyed by its stable ZIS id, with ZIS's last change time."""

    zis_id = models.CharField(_("ZIS id"), max_length=64, unique=True)
    zis_updated_at = models.DateTimeField(_("changed in ZIS"))

    class Meta:
        abstract = True
