"""What the portal's features share and that knows none of them: money and formatting, field
shapes, addresses, languages, user-scoped querysets, private storage, client addresses and the
admin's base views. Topic-named modules, no utils.py."""
