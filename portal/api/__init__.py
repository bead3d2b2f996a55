"""Your data is yours: the personal read-only API with its tokens and OpenAPI schema, the calendar
feed, and the installable web app (manifest, service worker, offline page)."""
