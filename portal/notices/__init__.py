"""Outage and works notices by street: the Wagtail pages, the places they affect, the public
listing and feeds, and the e-mails to affected customers and subscribers."""
