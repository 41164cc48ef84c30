"""Fixtures of the accounts tests: the monitoring world with every persona."""

from monitoring.tests.conftest import staff_client, world  # noqa: F401
