"""Registers the public website's admin hooks; the functions live in their modules."""

from wagtail import hooks

from cms_pages.submissions import form_pages_for_user, form_pages_urls, point_forms_menu_here

hooks.register("filter_form_submissions_for_user", form_pages_for_user)
hooks.register("register_admin_urls", form_pages_urls)
hooks.register("construct_main_menu", point_forms_menu_here)
