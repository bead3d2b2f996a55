"""Read-only query services of the portal pages.

Every function takes the signed-in `user` (and the customer chosen in the portal) and reaches the
data only through `for_user(user)`, so another customer's object is simply not found (a 404).
Each runs a fixed number of indexed queries whatever the amount of data, and returns plain
dataclasses that templates format; `portal.pages.samples` builds the same dataclasses in memory
for the admin preview.
"""
