"""Implementation monitoring: reporting rounds, status reports, review, publication, audit."""
