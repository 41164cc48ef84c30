"""The backend-specific part of the index: an FTS5 table on SQLite.

PostgreSQL needs no extra table: the search computes its "german" tsvector from the folded
columns (a few hundred rows per plan).
"""

from django.db import migrations

CREATE_FTS = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "folded_title, folded_body, content='search_searchentry', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')"
)


def create_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE_FTS)


def drop_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_entries")]

    operations = [migrations.RunPython(create_fts, drop_fts)]
