"""Shared factory_boy factories; one module per domain (billing: the data mirrored from ZIS)."""
