"""Customer-focus handbook generator: YAML entries in, a searchable static site out."""
