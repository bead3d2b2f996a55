"""My account → Personal API and calendar (namespace `portal-tokens`, under /ucet/api/), and the
calendar feed itself (namespace `portal-feed`, /kalendar/<secret>.ics, without a language prefix:
calendar apps keep the address for years)."""

from django.urls import include, path

from . import account_views, feed_views

account_patterns = (
    [
        path("", account_views.tokens, name="tokens"),
        path("<int:token_pk>/zrusit/", account_views.revoke_token, name="revoke-token"),
        path("kalendar/", account_views.make_feed, name="make-feed"),
        path("kalendar/zrusit/", account_views.revoke_feed, name="revoke-feed"),
    ],
    "portal-tokens",
)

feed_patterns = (
    [path("kalendar/<str:feed_secret>.ics", feed_views.calendar, name="calendar")],
    "portal-feed",
)

account_urls = include(account_patterns)
feed_urls = include(feed_patterns)
