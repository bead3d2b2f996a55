"""Code the tests share that is neither a fixture nor a factory (the route table of the scoping test)."""
