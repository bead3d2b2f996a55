"""The utility's own e-mails to customers: e-invoices, due-date reminders and reading invitations
with a link that needs no login."""
