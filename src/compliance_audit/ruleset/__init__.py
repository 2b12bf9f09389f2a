"""Rules and catalogues: loading, validating, and choosing what applies to a bureau."""
