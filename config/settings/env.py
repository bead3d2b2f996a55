"""Small helpers that read settings from the environment.

`env_required` is for production: a missing value stops the process with a message that names it.
"""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in TRUE_VALUES


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required in production; "
            "see site/deploy/.env.example."
        )
    return value


def env_storage(prefix: str, default_backend: str) -> dict:
    """A STORAGES entry from `<prefix>_BACKEND` (a storage class) and `<prefix>_OPTIONS` (a JSON
    object of its options); the error names the variable."""
    import json

    entry: dict = {"BACKEND": env_str(f"{prefix}_BACKEND", "").strip() or default_backend}
    options = env_str(f"{prefix}_OPTIONS", "").strip()
    if options:
        try:
            entry["OPTIONS"] = json.loads(options)
        except ValueError as error:
            raise ImproperlyConfigured(f"{prefix}_OPTIONS is not valid JSON: {error}") from None
        if not isinstance(entry["OPTIONS"], dict):
            raise ImproperlyConfigured(f"{prefix}_OPTIONS must be a JSON object")
    return entry
