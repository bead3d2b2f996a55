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

# Wagtail 8's admin: strings its Czech catalogue lacks (or leaves in English, such as
# "Dashboard"), on the pages an operator and an editor open.
_("Dashboard")
_("Close dialog")
_("Show filters")
_("Select")
_("Sort by '%(label)s' in ascending order.")
_("Sort by '%(label)s' in descending order.")
_("Delete selected pages")
_("Actions (footer)")
_(
    "Pages created here will not be accessible at any URL. To add pages to an existing site, create them as children of the homepage."
)
_(
    "The root level is where you can add new sites to your Wagtail installation. Pages created here will not be accessible at any URL until they are associated with a site."
)
_(
    "There is no site set up for this location. Pages created here will not be accessible at any URL until a site is associated with this location."
)
_(
    "There is no site record for this location. Pages created here will not be accessible at any URL."
)
_("Preview in new tab")
_("Preview in mobile size")
_("Preview in tablet size")
_("Preview in desktop size")
_("Error 404")
_("Error 404: Page not found")
_("Search all pages…")
_("Edit account avatar")
_("Visible to all. Visit the live page")
_("Private. Visit the live page")
_("Choose parent")
_("There are no results.")
_("Page types usage")
_("No %(model_name)s match your query.")
_("There are no %(model_name)s to display.")
_('There are no %(model_name)s to display. Why not <a href="%(add_url)s">add one</a>?')
_("Sorry, no users match your query")
_("Delete selected images")
_("Add tags to the selected images")
_("Add selected images to collection")
_("Delete selected documents")
_("Add tags to the selected documents")
_("Add selected documents to collection")
_("Toggle sidebar")
_("Toggle breadcrumbs")
_("Main menu")
ngettext(
    '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
    '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
    0,
)
ngettext(
    '%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>',
    '%(total)s Images <span class="w-sr-only">created in %(site_name)s</span>',
    0,
)
ngettext(
    '%(total)s Document <span class="w-sr-only">created in %(site_name)s</span>',
    '%(total)s Documents <span class="w-sr-only">created in %(site_name)s</span>',
    0,
)
# Wagtail's page explorer: the count of pages above its listing.
_("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s across entire site.")
_("No results across entire site.")
_("Search in '<span class=\"w-title-ellipsis\">%(title)s</span>'")
_(
    "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s in '<span class=\"w-title-ellipsis\">%(title)s</span>'."
)
_("No results in '<span class=\"w-title-ellipsis\">%(title)s</span>'.")
_("Search the whole site")
_("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s")
# Wagtail's dashboard: the link to its own guide for editors.
_("Wagtail %(current_version)s editor guide")
