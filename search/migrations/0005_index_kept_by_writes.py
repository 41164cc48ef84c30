"""The index is kept by the catalogue's writes: entries know their object, no revision marker.

Full-text structures, each the database's own (plain SQL: the ORM cannot declare them):
- SQLite: two FTS5 tables over the folded columns, `search_words` (unicode61: whole words and
  word prefixes) and `search_trigrams` (trigram: any part of a word, "strasse" inside
  "kreisstrassenkonzept"), kept in step with the entries by triggers.
- PostgreSQL: the extension pg_trgm and GIN trigram indexes on the folded columns (for
  LIKE '%…%'); the "german" tsvector column is no longer used. Creating the extension needs a
  role with CREATE on the database (pg_trgm is a trusted extension) or a superuser; where the
  application's role may not, an administrator runs `CREATE EXTENSION pg_trgm;` beforehand.

The old entries lack their object: they are removed; `kek rebuild-search-index` (run by
`make setup`) builds them again.
"""

from django.db import migrations, models

COLUMNS = "folded_title, folded_body"
SQLITE_TABLES = {
    "search_words": "unicode61 remove_diacritics 2",
    "search_trigrams": "trigram",
}


def _sqlite_forwards() -> list[str]:
    statements = ["DROP TABLE IF EXISTS search_fts"]
    inserts, deletes = [], []
    for table, tokenizer in SQLITE_TABLES.items():
        statements.append(
            f"CREATE VIRTUAL TABLE {table} USING fts5({COLUMNS}, content='search_searchentry', "
            f"content_rowid='id', tokenize='{tokenizer}')"
        )
        inserts.append(
            f"INSERT INTO {table}(rowid, {COLUMNS}) "
            "VALUES (new.id, new.folded_title, new.folded_body);"
        )
        deletes.append(
            f"INSERT INTO {table}({table}, rowid, {COLUMNS}) "
            "VALUES ('delete', old.id, old.folded_title, old.folded_body);"
        )
    statements += [
        "CREATE TRIGGER search_entry_inserted AFTER INSERT ON search_searchentry BEGIN "
        + " ".join(inserts)
        + " END",
        "CREATE TRIGGER search_entry_deleted AFTER DELETE ON search_searchentry BEGIN "
        + " ".join(deletes)
        + " END",
        "CREATE TRIGGER search_entry_updated AFTER UPDATE ON search_searchentry BEGIN "
        + " ".join(deletes + inserts)
        + " END",
    ]
    return statements


POSTGRESQL_FORWARDS = [
    # Not django.contrib.postgres's TrigramExtension: its reverse queries pg_extension on SQLite
    # too. Migrating back leaves the extension (other databases objects may use it).
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
    "CREATE INDEX search_entry_title_trigrams ON search_searchentry "
    "USING GIN (folded_title gin_trgm_ops)",
    "CREATE INDEX search_entry_body_trigrams ON search_searchentry "
    "USING GIN (folded_body gin_trgm_ops)",
]


def full_text_forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _sqlite_forwards(), "postgresql": POSTGRESQL_FORWARDS}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def full_text_backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for trigger in ("inserted", "deleted", "updated"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS search_entry_{trigger}")
        for table in SQLITE_TABLES:
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(folded_title, folded_body, "
            "content='search_searchentry', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_title_trigrams")
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_body_trigrams")
        # Back to 0004's tsvector column, which its own reverse drops.
        schema_editor.execute(
            "ALTER TABLE search_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('german'::regconfig, folded_title), 'A') || "
            "setweight(to_tsvector('german'::regconfig, folded_body), 'B')) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX search_entry_document ON search_searchentry USING GIN (document)"
        )


def remove_entries(apps, schema_editor):
    apps.get_model("search", "SearchEntry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0004_postgresql_document_index")]

    operations = [
        migrations.RunPython(remove_entries, migrations.RunPython.noop),
        migrations.DeleteModel(name="IndexedRevision"),
        migrations.AddField(
            model_name="searchentry",
            name="object_id",
            field=models.PositiveBigIntegerField(
                default=0,
                help_text="Id of the measure, node, organisation or key project.",
                verbose_name="object",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="searchentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("measure", "Measure"),
                    ("node", "Goal or field"),
                    ("organisation", "Organisation"),
                    ("key_project", "Key project"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="searchentry",
            name="order",
            field=models.PositiveIntegerField(
                help_text="Tie-breaker: measures by number, then the hierarchy, …",
                verbose_name="order",
            ),
        ),
        migrations.AddConstraint(
            model_name="searchentry",
            constraint=models.UniqueConstraint(
                fields=("plan", "kind", "object_id"), name="search_entry_unique_object"
            ),
        ),
        # Last: on SQLite the schema changes above rebuild the table, which drops its triggers.
        migrations.RunPython(full_text_forwards, full_text_backwards),
    ]
