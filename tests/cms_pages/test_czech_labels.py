"""Our Czech catalogue does not override Wagtail's own words: the admin's "Pages" menu stays
"Stránky" while the portal's pagination landmark is "Stránkování"."""

from django.utils import translation
from django.utils.translation import gettext, pgettext


def test_the_admin_menu_keeps_wagtails_word_for_pages():
    with translation.override("cs"):
        assert gettext("Pages") == "Stránky"
        assert pgettext("pagination", "Pages") == "Stránkování"
