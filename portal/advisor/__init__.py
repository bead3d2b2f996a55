"""The advance advisor: the projected settlement of each supply point until the end of its billing
period, and the customer's request for a new advance amount."""
