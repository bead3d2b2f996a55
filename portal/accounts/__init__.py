"""Customer accounts: allauth customisation (adapter), staff MFA (middleware), linking customers
with activation codes, My account and its preferences, the personal-data export, the staff
groups, and the admin of customer links and activation codes."""
