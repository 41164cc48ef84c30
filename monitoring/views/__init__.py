"""Views of the German staff area (/intern/): thin, they call only policies and services."""
