"""Signatures written by PostgreSQL itself, for the benches: one INSERT ... SELECT over
generate_series, millions of rows in seconds.

Every NOT NULL column of signatures_signature has its value here once (tests/test_bench_seed.py
checks the list against the model), so a new column is added in one place, not in each bench.
A bench overrides what it measures with SQL expressions over `n`, the row's number; values
come as named parameters (%(name)s), and a literal % is written %%.
"""

from psycopg import sql

# {column: SQL expression over n}: a confirmed online signature from Bishkek, in Russian.
DEFAULTS = {
    "petition_id": "%(petition)s",
    "status": "'confirmed'",
    "name": "'Айгүл Өмүрбекова ' || n",
    "email_encrypted": "''",
    "email_hash": "md5(n::text)",
    "email_domain": "'example.org'",
    "region": "'bishkek'",
    "show_name": "false",
    "wants_updates": "false",
    "language": "'ru'",
    "ip_hash": "''",
    "invalidation_reason": "''",
    "emails_sent": "1",
    "emails_delivered": "1",
    "created_at": "now()",
    "confirmed_at": "now()",
    "source": "'online'",
    "sheet": "''",
}


def insert_signatures(connection, petition, start, stop, params=None, **columns):
    """Insert signatures numbered `start` to `stop` (inclusive) into `petition` (its id), with
    `columns` ({column: SQL expression}) in place of the defaults."""
    values = {**DEFAULTS, **columns}
    statement = sql.SQL(
        "INSERT INTO signatures_signature ({columns}) SELECT {values} "
        "FROM generate_series(%(start)s::bigint, %(stop)s::bigint) AS n"
    ).format(
        columns=sql.SQL(", ").join(map(sql.Identifier, values)),
        values=sql.SQL(", ".join(values.values())),
    )
    connection.execute(
        statement, {"petition": petition, "start": start, "stop": stop, **(params or {})}
    )
