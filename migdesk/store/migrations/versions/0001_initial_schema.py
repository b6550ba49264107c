"""Initial schema: reference records, candidates, the change journal, access log, search index.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import migdesk.store.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("officer", sa.String(length=64), nullable=False),
        sa.Column("desk_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
    )
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_access_log_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "candidate",
        sa.Column("personal_number", sa.String(length=11), nullable=False),
        sa.Column("first_name_ka", sa.String(length=60), nullable=False),
        sa.Column("last_name_ka", sa.String(length=60), nullable=False),
        sa.Column("first_name_lat", sa.String(length=60), nullable=False),
        sa.Column("last_name_lat", sa.String(length=60), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column(
            "sex", sa.Enum("f", "m", name="sex", native_enum=False, length=32), nullable=True
        ),
        sa.Column("region", sa.String(length=5), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("passport_number", sa.String(length=9), nullable=True),
        sa.Column("passport_expiry", sa.Date(), nullable=True),
        sa.Column(
            "education",
            sa.Enum(
                "none",
                "primary",
                "basic",
                "secondary",
                "vocational",
                "bachelor",
                "master",
                "doctorate",
                name="education",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("education_note", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "registered",
                "screened",
                "shortlisted",
                "selected",
                "departed",
                "employed",
                "returned",
                "withdrawn",
                "rejected",
                name="candidatestatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("origin_desk", sa.String(length=36), nullable=False),
        sa.Column("updated_desk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate")),
    )
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_candidate_birth_date"), ["birth_date"], unique=False)
        batch_op.create_index(
            "ix_candidate_name_ka", ["last_name_ka", "first_name_ka", "id"], unique=False
        )
        batch_op.create_index(
            "ix_candidate_name_lat", ["last_name_lat", "first_name_lat", "id"], unique=False
        )
        batch_op.create_index("ix_candidate_pn", ["personal_number"], unique=False)
        batch_op.create_index(
            "ix_candidate_match",
            ["status", "passport_expiry", "birth_date", "registered_on", "deleted", "id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_candidate_region"), ["region"], unique=False)
        batch_op.create_index(batch_op.f("ix_candidate_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_candidate_live_personal_number",
            ["personal_number"],
            unique=True,
            sqlite_where=sa.text("deleted = 0"),
            postgresql_where=sa.text("NOT deleted"),
        )

    op.create_table(
        "change_log",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("change_id", sa.String(length=36), nullable=False),
        sa.Column("at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("officer", sa.String(length=64), nullable=False),
        sa.Column("desk_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_change_log")),
        sa.UniqueConstraint("change_id", name=op.f("uq_change_log_change_id")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_log_at"), ["at"], unique=False)
        batch_op.create_index("ix_change_log_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "desk",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk")),
    )
    op.create_table(
        "partner_state",
        sa.Column("iso_code", sa.String(length=2), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "exploring",
                "interest_expressed",
                "negotiating",
                "agreement_signed",
                "in_force",
                "suspended",
                "not_advisable",
                name="cooperationstage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("origin_desk", sa.String(length=36), nullable=False),
        sa.Column("updated_desk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_state")),
    )
    with op.batch_alter_table("partner_state", schema=None) as batch_op:
        batch_op.create_index(
            "uq_partner_state_live_iso",
            ["iso_code"],
            unique=True,
            sqlite_where=sa.text("deleted = 0"),
            postgresql_where=sa.text("NOT deleted"),
        )

    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "agreement",
        sa.Column("partner_id", sa.String(length=36), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "agreement",
                "memorandum",
                "implementation_protocol",
                "pilot",
                name="agreementkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title_ka", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("origin_desk", sa.String(length=36), nullable=False),
        sa.Column("updated_desk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partner_state.id"], name=op.f("fk_agreement_partner_id_partner_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement")),
    )
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_partner_id"), ["partner_id"], unique=False)

    op.create_table(
        "assessment",
        sa.Column("partner_id", sa.String(length=36), nullable=False),
        sa.Column("assessed_on", migdesk.store.types.PartialDateType(length=10), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "exploring",
                "interest_expressed",
                "negotiating",
                "agreement_signed",
                "in_force",
                "suspended",
                "not_advisable",
                name="cooperationstage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("rationale", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("origin_desk", sa.String(length=36), nullable=False),
        sa.Column("updated_desk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner_state.id"],
            name=op.f("fk_assessment_partner_id_partner_state"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_partner_id"), ["partner_id"], unique=False)

    op.create_table(
        "attachment",
        sa.Column("candidate_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("origin_desk", sa.String(length=36), nullable=False),
        sa.Column("updated_desk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidate.id"], name=op.f("fk_attachment_candidate_id_candidate")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attachment_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attachment_sha256"), ["sha256"], unique=False)

    op.create_table(
        "candidate_language",
        sa.Column("candidate_id", sa.String(length=36), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column(
            "level",
            sa.Enum("a1", "a2", "b1", "b2", "c1", "c2", name="cefr", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("origin_desk", sa.String(length=36), nullable=False),
        sa.Column("updated_desk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_candidate_language_candidate_id_candidate"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_language")),
    )
    with op.batch_alter_table("candidate_language", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_language_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            "ix_candidate_language_lang",
            ["language", "level", "candidate_id", "deleted"],
            unique=False,
        )

    op.create_table(
        "candidate_occupation",
        sa.Column("candidate_id", sa.String(length=36), nullable=False),
        sa.Column("isco_code", sa.String(length=4), nullable=False),
        sa.Column("years", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("origin_desk", sa.String(length=36), nullable=False),
        sa.Column("updated_desk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_candidate_occupation_candidate_id_candidate"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_occupation")),
    )
    with op.batch_alter_table("candidate_occupation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_occupation_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            "ix_candidate_occupation_isco",
            ["isco_code", "years", "candidate_id", "deleted"],
            unique=False,
        )

    op.create_table(
        "candidate_term",
        sa.Column("term", sa.String(length=60), nullable=False),
        sa.Column("candidate_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_candidate_term_candidate_id_candidate"),
        ),
        sa.PrimaryKeyConstraint("term", "candidate_id", name=op.f("pk_candidate_term")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("candidate_term", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_term_candidate_id"), ["candidate_id"], unique=False
        )

    op.create_table(
        "consent",
        sa.Column("candidate_id", sa.String(length=36), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("form_reference", sa.String(length=100), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("origin_desk", sa.String(length=36), nullable=False),
        sa.Column("updated_desk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidate.id"], name=op.f("fk_consent_candidate_id_candidate")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
    )
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_candidate_id"), ["candidate_id"], unique=False)

    op.create_table(
        "indicator",
        sa.Column("assessment_id", sa.String(length=36), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "minimum_wage",
                "average_wage",
                "unemployment_rate",
                "georgian_diaspora",
                "other",
                name="indicatorkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("value", migdesk.store.types.DecimalText(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("unit", sa.String(length=32), nullable=True),
        sa.Column("as_of", migdesk.store.types.PartialDateType(length=10), nullable=True),
        sa.Column("source_name", sa.String(length=200), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("origin_desk", sa.String(length=36), nullable=False),
        sa.Column("updated_desk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessment.id"], name=op.f("fk_indicator_assessment_id_assessment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
    )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_assessment_id"), ["assessment_id"], unique=False
        )

    op.create_table(
        "milestone",
        sa.Column("agreement_id", sa.String(length=36), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "negotiation_round",
                "draft_exchanged",
                "signed",
                "ratified_georgia",
                "ratified_partner",
                "entered_into_force",
                "amended",
                "suspended",
                "terminated",
                name="milestonekind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("date", migdesk.store.types.PartialDateType(length=10), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("origin_desk", sa.String(length=36), nullable=False),
        sa.Column("updated_desk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_milestone_agreement_id_agreement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone")),
    )
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestone_agreement_id"), ["agreement_id"], unique=False
        )

    op.create_table(
        "program",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_ka", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("scheme", "pilot", name="programkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("partner_id", sa.String(length=36), nullable=False),
        sa.Column("partner_org", sa.String(length=200), nullable=True),
        sa.Column("agreement_id", sa.String(length=36), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "planned", "active", "closed", name="programstatus", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("origin_desk", sa.String(length=36), nullable=False),
        sa.Column("updated_desk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_program_agreement_id_agreement")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partner_state.id"], name=op.f("fk_program_partner_id_partner_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program")),
    )
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_program_partner_id"), ["partner_id"], unique=False)
        batch_op.create_index(
            "uq_program_live_code",
            ["code"],
            unique=True,
            sqlite_where=sa.text("deleted = 0"),
            postgresql_where=sa.text("NOT deleted"),
        )

    op.create_table(
        "visit",
        sa.Column(
            "direction",
            sa.Enum("outgoing", "incoming", name="visitdirection", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("lead_agency", sa.Text(), nullable=False),
        sa.Column("participants", sa.Text(), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("outcomes", sa.Text(), nullable=True),
        sa.Column("agreement_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("origin_desk", sa.String(length=36), nullable=False),
        sa.Column("updated_desk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_visit_agreement_id_agreement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_start_date"), ["start_date"], unique=False)

    op.create_table(
        "demand",
        sa.Column("program_id", sa.String(length=36), nullable=False),
        sa.Column("isco_code", sa.String(length=4), nullable=False),
        sa.Column("quota", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column(
            "level",
            sa.Enum("a1", "a2", "b1", "b2", "c1", "c2", name="cefr", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("min_experience_years", sa.Integer(), nullable=False),
        sa.Column("min_age", sa.Integer(), nullable=True),
        sa.Column("max_age", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("origin_desk", sa.String(length=36), nullable=False),
        sa.Column("updated_desk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["program_id"], ["program.id"], name=op.f("fk_demand_program_id_program")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand")),
    )
    with op.batch_alter_table("demand", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_demand_isco_code"), ["isco_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_program_id"), ["program_id"], unique=False)

    op.create_table(
        "follow_up",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("responsible", sa.Text(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "in_progress",
                "done",
                "cancelled",
                name="actionstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("origin_desk", sa.String(length=36), nullable=False),
        sa.Column("updated_desk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_follow_up_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "placement",
        sa.Column("candidate_id", sa.String(length=36), nullable=False),
        sa.Column("program_id", sa.String(length=36), nullable=True),
        sa.Column("employer", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("isco_code", sa.String(length=4), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("wage_amount", migdesk.store.types.DecimalText(length=32), nullable=True),
        sa.Column("wage_currency", sa.String(length=3), nullable=True),
        sa.Column("wage_period", sa.String(length=10), nullable=True),
        sa.Column("returned_on", sa.Date(), nullable=True),
        sa.Column("return_note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("origin_desk", sa.String(length=36), nullable=False),
        sa.Column("updated_desk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidate.id"], name=op.f("fk_placement_candidate_id_candidate")
        ),
        sa.ForeignKeyConstraint(
            ["program_id"], ["program.id"], name=op.f("fk_placement_program_id_program")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement")),
    )
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_placement_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_placement_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_placement_program_id"), ["program_id"], unique=False)

    op.create_table(
        "status_change",
        sa.Column("candidate_id", sa.String(length=36), nullable=False),
        sa.Column(
            "from_status",
            sa.Enum(
                "registered",
                "screened",
                "shortlisted",
                "selected",
                "departed",
                "employed",
                "returned",
                "withdrawn",
                "rejected",
                name="candidatestatus",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "registered",
                "screened",
                "shortlisted",
                "selected",
                "departed",
                "employed",
                "returned",
                "withdrawn",
                "rejected",
                name="candidatestatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("changed_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("officer", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("program_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("origin_desk", sa.String(length=36), nullable=False),
        sa.Column("updated_desk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidate.id"], name=op.f("fk_status_change_candidate_id_candidate")
        ),
        sa.ForeignKeyConstraint(
            ["program_id"], ["program.id"], name=op.f("fk_status_change_program_id_program")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_change")),
    )
    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_status_change_candidate_id"), ["candidate_id"], unique=False
        )

    op.create_table(
        "application",
        sa.Column("candidate_id", sa.String(length=36), nullable=False),
        sa.Column("program_id", sa.String(length=36), nullable=False),
        sa.Column("demand_id", sa.String(length=36), nullable=True),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "applied",
                "shortlisted",
                "selected",
                "placed",
                "rejected",
                "withdrawn",
                name="applicationstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("origin_desk", sa.String(length=36), nullable=False),
        sa.Column("updated_desk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", migdesk.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidate.id"], name=op.f("fk_application_candidate_id_candidate")
        ),
        sa.ForeignKeyConstraint(
            ["demand_id"], ["demand.id"], name=op.f("fk_application_demand_id_demand")
        ),
        sa.ForeignKeyConstraint(
            ["program_id"], ["program.id"], name=op.f("fk_application_program_id_program")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application")),
    )
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_application_program_id"), ["program_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_program_id"))
        batch_op.drop_index(batch_op.f("ix_application_candidate_id"))

    op.drop_table("application")
    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_change_candidate_id"))

    op.drop_table("status_change")
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placement_program_id"))
        batch_op.drop_index(batch_op.f("ix_placement_country"))
        batch_op.drop_index(batch_op.f("ix_placement_candidate_id"))

    op.drop_table("placement")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_visit_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_due_date"))

    op.drop_table("follow_up")
    with op.batch_alter_table("demand", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demand_program_id"))
        batch_op.drop_index(batch_op.f("ix_demand_isco_code"))

    op.drop_table("demand")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_start_date"))
        batch_op.drop_index(batch_op.f("ix_visit_country"))
        batch_op.drop_index(batch_op.f("ix_visit_agreement_id"))

    op.drop_table("visit")
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_program_live_code",
            sqlite_where=sa.text("deleted = 0"),
            postgresql_where=sa.text("NOT deleted"),
        )
        batch_op.drop_index(batch_op.f("ix_program_partner_id"))

    op.drop_table("program")
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_agreement_id"))

    op.drop_table("milestone")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_assessment_id"))

    op.drop_table("indicator")
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_candidate_id"))

    op.drop_table("consent")
    with op.batch_alter_table("candidate_term", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_term_candidate_id"))

    op.drop_table("candidate_term")
    with op.batch_alter_table("candidate_occupation", schema=None) as batch_op:
        batch_op.drop_index("ix_candidate_occupation_isco")
        batch_op.drop_index(batch_op.f("ix_candidate_occupation_candidate_id"))

    op.drop_table("candidate_occupation")
    with op.batch_alter_table("candidate_language", schema=None) as batch_op:
        batch_op.drop_index("ix_candidate_language_lang")
        batch_op.drop_index(batch_op.f("ix_candidate_language_candidate_id"))

    op.drop_table("candidate_language")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_sha256"))
        batch_op.drop_index(batch_op.f("ix_attachment_candidate_id"))

    op.drop_table("attachment")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_partner_id"))

    op.drop_table("assessment")
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_partner_id"))

    op.drop_table("agreement")
    op.drop_table("setting")
    with op.batch_alter_table("partner_state", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_partner_state_live_iso",
            sqlite_where=sa.text("deleted = 0"),
            postgresql_where=sa.text("NOT deleted"),
        )

    op.drop_table("partner_state")
    op.drop_table("desk")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index("ix_change_log_entity")
        batch_op.drop_index(batch_op.f("ix_change_log_at"))

    op.drop_table("change_log")
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_candidate_live_personal_number",
            sqlite_where=sa.text("deleted = 0"),
            postgresql_where=sa.text("NOT deleted"),
        )
        batch_op.drop_index(batch_op.f("ix_candidate_status"))
        batch_op.drop_index(batch_op.f("ix_candidate_region"))
        batch_op.drop_index("ix_candidate_match")
        batch_op.drop_index("ix_candidate_pn")
        batch_op.drop_index("ix_candidate_name_lat")
        batch_op.drop_index("ix_candidate_name_ka")
        batch_op.drop_index(batch_op.f("ix_candidate_birth_date"))

    op.drop_table("candidate")
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_log_entity_id"))
        batch_op.drop_index(batch_op.f("ix_access_log_at"))

    op.drop_table("access_log")
