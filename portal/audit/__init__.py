"""The operators' access log: who opened which customer's data in the admin."""
