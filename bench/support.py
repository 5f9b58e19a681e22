"""What every benchmark needs: a free loopback port and a fresh PostgreSQL database."""

from __future__ import annotations

import socket
import sys
from urllib.parse import urlsplit, urlunsplit


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def recreate_database(database_url: str, *, drop_only: bool = False) -> None:
    """Drop the database named in ``database_url`` (closing its connections) and, unless
    ``drop_only``, create it empty."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not parts.scheme.startswith("postgres") or not name:
        sys.exit(f"bench needs a PostgreSQL DATABASE_URL, got {database_url!r}")
    # libpq reads postgres:// and postgresql:// alike; the maintenance database does the DDL.
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
