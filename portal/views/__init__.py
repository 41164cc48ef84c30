"""Views of the public portal, one module per group of pages."""
