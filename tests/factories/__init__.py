"""Shared factories and builders, one module per domain: accounts (users, staff, signed-in
clients), billing (the data mirrored from ZIS), requests (self-readings, address changes, photos),
notifications (queued e-mails) and pages (public pages with realistic content)."""
