"""The demo ZIS: writes a realistic, deterministic utility as exchange batches (see generator)."""

from .generator import (
    DEFAULT_END_DATE,
    LOGINS_FILE,
    DemoLogin,
    batch_name,
    demo_customers,
    generate_batch,
)

__all__ = [
    "DEFAULT_END_DATE",
    "LOGINS_FILE",
    "DemoLogin",
    "batch_name",
    "demo_customers",
    "generate_batch",
]
