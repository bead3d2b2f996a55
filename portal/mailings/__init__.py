"""E-mails the portal sends on its own initiative: e-invoices (paperless), due-date reminders and
invitations to report a meter reading (with the no-login reading form). See docs/mailings.md."""
