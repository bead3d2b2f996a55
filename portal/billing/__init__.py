"""The billing data mirrored from ZIS: its models, the read services of the portal pages, the CSV
and spreadsheet exports, and the operators' read-only admin of customers and supply points."""
