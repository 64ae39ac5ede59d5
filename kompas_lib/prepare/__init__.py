"""Prepare: raw tables -> one tidy fact table on today's borders (facts.parquet, regions.parquet)."""
