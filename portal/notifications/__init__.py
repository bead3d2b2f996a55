"""E-mail notifications: rows first (the outbox), sent by a huey task with retries, rendered in
the recipient's language; operators list, inspect and resend them in the admin."""
