"""The portal's page types and their routes, the dashboard, the navigation, the samples of the
admin preview, and the creation of the portal pages (`manage.py create_portal_pages`)."""
