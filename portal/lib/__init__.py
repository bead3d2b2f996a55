"""Topic-named helpers of the portal (no utils.py)."""
