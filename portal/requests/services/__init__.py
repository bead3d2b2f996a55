"""What customer requests do: `submission` (customers submit), `decisions` (operators approve or
reject; the exporter marks them sent and confirmed), `tracker` (what the customer sees),
`plausibility`, `queues` (what operators see besides the request), `kept_photos`, `errors`."""
