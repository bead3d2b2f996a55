"""Customer requests: self-readings and mailing-address changes, from the customer's form through
the operators' queues to ZIS (models, forms, views, services, photos, queues, tasks)."""
