"""Never imported (`make messages` reads it). Strings that Wagtail, Django or allauth show on our pages but whose Czech
catalogue lacks them or gets them wrong, listed here so that `make messages` keeps their Czech
translation in locale/cs/LC_MESSAGES/django.po (our catalogue comes first: LOCALE_PATHS).
Each msgid must be exactly the library's.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Wagtail's admin: the listing after a search or a filter, the "add" button of a generic model
# listing, the warning when leaving a form with unsaved changes.
ngettext("There is %(counter)s match", "There are %(counter)s matches", 0)
_("New: %(model_name)s")
_("Save your changes before leaving")

# Django's time spans, which Wagtail shows only after "před" ("%(time_period)s ago" is
# "před %(time_period)s"): Czech needs the instrumental case there ("před 1 minutou", not
# "před 1 minuta"). "0 minutes" must read exactly as the span of zero minutes, or Wagtail would
# not say "just now". Nothing of ours shows a time span otherwise.
ngettext("%(num)d year", "%(num)d years", 0)
ngettext("%(num)d month", "%(num)d months", 0)
ngettext("%(num)d week", "%(num)d weeks", 0)
ngettext("%(num)d day", "%(num)d days", 0)
ngettext("%(num)d hour", "%(num)d hours", 0)
ngettext("%(num)d minute", "%(num)d minutes", 0)
_("0 minutes")
_("just now")

# allauth's two-factor overview: its Czech says "used" where it means "available".
ngettext(
    "There is %(unused_count)s out of %(total_count)s recovery codes available.",
    "There are %(unused_count)s out of %(total_count)s recovery codes available.",
    0,
)
