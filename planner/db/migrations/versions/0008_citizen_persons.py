"""Citizen persons: which person each week's citizen is, so a citizen's feed is one person's.

Every stored citizen is bound to a person by its id and a fingerprint of its name (as
`planner.db.persons` does at import). Where stored weeks already gave one id to different people,
that id's citizen feed has shown both: its link is revoked and its entries are deleted (each week
published again writes them for the right person), since nothing can tell whose they were.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 01:00:00
"""

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The time of the upgrade, bound as the columns' type (as SQLAlchemy stores it, not through
#: sqlite3's default datetime adapter, deprecated since Python 3.12).
WHEN = sa.bindparam("now", type_=sa.DateTime())


def fingerprint(key: str, name: str) -> str:
    """As `planner.db.persons.fingerprint` did when this migration was written."""
    normalised = " ".join(name.casefold().split())
    return hashlib.sha256(f"{key}\n{normalised}".encode()).hexdigest()


def upgrade() -> None:
    op.create_table(
        "citizen_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("person", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen_person")),
        sa.UniqueConstraint("key", "fingerprint", name="uq_citizen_person_key_fingerprint"),
        sa.UniqueConstraint("person", name=op.f("uq_citizen_person_person_")),
    )
    with op.batch_alter_table("citizen_person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_citizen_person_key"), ["key"], unique=False)
    with op.batch_alter_table("citizen", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person", sa.String(), nullable=True))
        batch_op.create_index(batch_op.f("ix_citizen_person"), ["person"], unique=False)
    bind_stored_citizens()


def bind_stored_citizens() -> None:
    """A person for every stored citizen; the feeds of ids that were several people stopped."""
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, key, name FROM citizen ORDER BY id")).all()
    persons: dict[tuple[str, str], str] = {}
    counts: dict[str, int] = {}
    now = datetime.now(UTC)
    for row_id, key, name in rows:
        mark = fingerprint(key, name)
        if (key, mark) not in persons:
            counts[key] = counts.get(key, 0) + 1
            person = key if counts[key] == 1 else f"{key}~{counts[key]}"
            persons[key, mark] = person
            connection.execute(
                sa.text(
                    "INSERT INTO citizen_person (key, fingerprint, person, created_at) "
                    "VALUES (:key, :mark, :person, :now)"
                ).bindparams(WHEN),
                {"key": key, "mark": mark, "person": person, "now": now},
            )
        connection.execute(
            sa.text("UPDATE citizen SET person = :person WHERE id = :id"),
            {"person": persons[key, mark], "id": row_id},
        )
    for key in sorted(k for k, n in counts.items() if n > 1):
        connection.execute(
            sa.text(
                "UPDATE feed_token SET revoked_at = :now "
                "WHERE kind = 'citizen' AND key = :key AND revoked_at IS NULL"
            ).bindparams(WHEN),
            {"now": now, "key": key},
        )
        connection.execute(
            sa.text("DELETE FROM feed_entry WHERE feed_kind = 'citizen' AND feed_key = :key"),
            {"key": key},
        )


def downgrade() -> None:
    with op.batch_alter_table("citizen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citizen_person"))
        batch_op.drop_column("person")
    with op.batch_alter_table("citizen_person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citizen_person_key"))
    op.drop_table("citizen_person")
