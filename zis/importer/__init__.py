"""The inbound sync: `import_batch(path)` validates a ZIS batch, applies it, records a SyncRun."""

from .inbox import import_inbox, pending_batches
from .run import import_batch

__all__ = ["import_batch", "import_inbox", "pending_batches"]
