"""Document importers: plain Python parsers that produce a ParsedPlan (no Django imports)."""
