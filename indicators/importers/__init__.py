"""Readers of indicator files and of the Gemeinde boundaries: plain Python, no Django."""
