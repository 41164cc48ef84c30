"""Indicators of goal attainment, their values per Gemeinde and year, and the Gemeinden."""
