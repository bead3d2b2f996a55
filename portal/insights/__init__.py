"""What the consumption means: the bill explainer, leak and high-usage warnings with the customer's
limits and away periods, and the comparison with the legal benchmark and similar supply points."""
