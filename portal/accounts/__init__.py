"""Customer accounts: allauth customisation, linking customers, preferences, personal data."""
