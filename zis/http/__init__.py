"""The HTTP door for ZIS: signed batch uploads and their status (see zis/EXCHANGE.md § 4)."""
