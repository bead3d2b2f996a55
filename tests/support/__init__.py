"""Code the tests share that is neither a fixture nor a factory: the table of portal routes for the
scoping test, the URLs of portal page routes."""
