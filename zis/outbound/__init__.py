"""The outbound direction: approved customer requests exported to ZIS, and ZIS's acknowledgement.

`export.export_approved()` writes what waits into ZIS_OUTBOX; `acks.acknowledge()` and
`acks.pickup_acks()` apply ZIS's answers; `purge.purge_acknowledged()` deletes
old archives. See zis/EXCHANGE.md § 2. The package imports nothing
here: `zis.models` imports `zis.outbound.models` while the app registry loads.
"""
