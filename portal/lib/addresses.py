"""Czech postal addresses: a value object and the model fields that store one."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Address:
    """A structured Czech address, e.g. Zelinářská 515/2, Dejvice, 160 00 Praha."""

    street: str
    house_number: str
    orientation_number: str
    part_of_municipality: str
    municipality: str
    postcode: str
    ruian_code: int | None = None

    @property
    def street_line(self) -> str:
        number = self.house_number
        if self.orientation_number:
            number = f"{number}/{self.orientation_number}"
        place = self.street or self.part_of_municipality or self.municipality
        return f"{place} {number}"

    @property
    def formatted_postcode(self) -> str:
        code = self.postcode
        return f"{code[:3]} {code[3:]}" if len(code) == 5 else code

    @property
    def town_line(self) -> str:
        return f"{self.formatted_postcode} {self.municipality}".strip()

    def lines(self) -> list[str]:
        lines = [self.street_line]
        if (
            self.street
            and self.part_of_municipality
            and self.part_of_municipality != self.municipality
        ):
            lines.append(self.part_of_municipality)
        lines.append(self.town_line)
        return lines

    def __str__(self) -> str:
        return ", ".join(self.lines())


class AddressFields(models.Model):
    """The parts of a Czech address (a supply point's; a requested mailing address)."""

    street = models.CharField(_("street"), max_length=255, blank=True)
    house_number = models.CharField(_("house number"), max_length=16)
    orientation_number = models.CharField(_("orientation number"), max_length=16, blank=True)
    part_of_municipality = models.CharField(_("part of municipality"), max_length=255, blank=True)
    municipality = models.CharField(_("municipality"), max_length=255)
    postcode = models.CharField(_("postcode"), max_length=5)
    ruian_code = models.BigIntegerField(_("RÚIAN address code"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def address(self) -> Address:
        return Address(
            street=self.street,
            house_number=self.house_number,
            orientation_number=self.orientation_number,
            part_of_municipality=self.part_of_municipality,
            municipality=self.municipality,
            postcode=self.postcode,
            ruian_code=self.ruian_code,
        )


class MailingAddressFields(models.Model):
    """Where documents go (korespondenční adresa): the same parts, prefixed `mailing_`."""

    mailing_street = models.CharField(_("street"), max_length=255, blank=True)
    mailing_house_number = models.CharField(_("house number"), max_length=16)
    mailing_orientation_number = models.CharField(
        _("orientation number"), max_length=16, blank=True
    )
    mailing_part_of_municipality = models.CharField(
        _("part of municipality"), max_length=255, blank=True
    )
    mailing_municipality = models.CharField(_("municipality"), max_length=255)
    mailing_postcode = models.CharField(_("postcode"), max_length=5)
    mailing_ruian_code = models.BigIntegerField(_("RÚIAN address code"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def mailing_address(self) -> Address:
        return Address(
            street=self.mailing_street,
            house_number=self.mailing_house_number,
            orientation_number=self.mailing_orientation_number,
            part_of_municipality=self.mailing_part_of_municipality,
            municipality=self.mailing_municipality,
            postcode=self.mailing_postcode,
            ruian_code=self.mailing_ruian_code,
        )


class SeatAddressFields(models.Model):
    """A business customer's registered seat (sídlo), prefixed `seat_`; empty for households.

    Tax documents identify a business by its seat; the mailing address is only where they are delivered.
    """

    seat_street = models.CharField(
        _("street"), max_length=255, blank=True, default="", db_default=""
    )
    seat_house_number = models.CharField(
        _("house number"), max_length=16, blank=True, default="", db_default=""
    )
    seat_orientation_number = models.CharField(
        _("orientation number"), max_length=16, blank=True, default="", db_default=""
    )
    seat_part_of_municipality = models.CharField(
        _("part of municipality"), max_length=255, blank=True, default="", db_default=""
    )
    seat_municipality = models.CharField(
        _("municipality"), max_length=255, blank=True, default="", db_default=""
    )
    seat_postcode = models.CharField(
        _("postcode"), max_length=5, blank=True, default="", db_default=""
    )
    seat_ruian_code = models.BigIntegerField(_("RÚIAN address code"), null=True, blank=True)

    class Meta:
        abstract = True

    # Database defaults as well, because the ZIS bulk loader writes rows with raw INSERT/COPY that
    # lists only the columns a batch carries.

    @property
    def seat_address(self) -> Address | None:
        """The registered seat, or None when ZIS sent none."""
        if not (self.seat_house_number and self.seat_municipality):
            return None
        return Address(
            street=self.seat_street,
            house_number=self.seat_house_number,
            orientation_number=self.seat_orientation_number,
            part_of_municipality=self.seat_part_of_municipality,
            municipality=self.seat_municipality,
            postcode=self.seat_postcode,
            ruian_code=self.seat_ruian_code,
        )
