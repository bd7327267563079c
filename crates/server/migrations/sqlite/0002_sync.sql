-- Organisations, their paired devices, and the sync log (DESIGN.md section 4).

CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- A device's token is `id.secret`; only the SHA-256 of the 256-bit random secret is kept.
CREATE TABLE devices (
    id TEXT PRIMARY KEY NOT NULL,
    organisation TEXT NOT NULL REFERENCES organisations (id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    secret_hash BLOB NOT NULL,
    paired_at TEXT NOT NULL,
    last_seen_at TEXT,
    revoked_at TEXT
) STRICT;

CREATE INDEX devices_by_organisation ON devices (organisation);

-- Single-use, expiring pairing codes, kept only as hashes.
CREATE TABLE pairing_codes (
    code_hash BLOB PRIMARY KEY NOT NULL,
    organisation TEXT NOT NULL REFERENCES organisations (id),
    role TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
) STRICT;

-- Every mutation ever applied, by id: a retried batch is answered `duplicate`, never applied twice.
CREATE TABLE mutations (
    organisation TEXT NOT NULL,
    id TEXT NOT NULL,
    device TEXT NOT NULL,
    received_at TEXT NOT NULL,
    -- For a check-in answered `duplicate`: the canonical attendance, given again on a retry.
    canonical TEXT,
    PRIMARY KEY (organisation, id)
) STRICT;

-- The pull log: each accepted change with a server-assigned sequence number. `device_time` is the
-- device's own clock as the record carries it; `received_at` is the server's.
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation TEXT NOT NULL,
    topic TEXT NOT NULL,
    -- The entity or record the change is about (an erasure scrubs a participant's earlier patches).
    subject TEXT NOT NULL,
    change TEXT NOT NULL,
    device TEXT NOT NULL,
    received_at TEXT NOT NULL
) STRICT;

CREATE INDEX changes_by_organisation ON changes (organisation, seq);
CREATE INDEX changes_by_subject ON changes (organisation, subject);

-- Named attendance by natural key: one canonical check-in per person and occurrence.
CREATE TABLE attendance (
    organisation TEXT NOT NULL,
    id TEXT NOT NULL,
    participant TEXT NOT NULL,
    activity TEXT NOT NULL,
    date TEXT NOT NULL,
    PRIMARY KEY (organisation, id),
    UNIQUE (organisation, participant, activity, date)
) STRICT;

-- Check-ins answered `duplicate`: their events are re-pointed to the canonical attendance.
CREATE TABLE attendance_aliases (
    organisation TEXT NOT NULL,
    alias TEXT NOT NULL,
    canonical TEXT NOT NULL,
    PRIMARY KEY (organisation, alias)
) STRICT;

-- Merged participants: later check-ins of the merged id count for the kept one.
CREATE TABLE participant_merges (
    organisation TEXT NOT NULL,
    merged TEXT NOT NULL,
    into_participant TEXT NOT NULL,
    PRIMARY KEY (organisation, merged)
) STRICT;

CREATE TABLE erased_participants (
    organisation TEXT NOT NULL,
    participant TEXT NOT NULL,
    PRIMARY KEY (organisation, participant)
) STRICT;

-- Mutable entities, per field: the value with the highest stamp wins (ties broken by device).
CREATE TABLE entity_fields (
    organisation TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    stamp TEXT NOT NULL,
    PRIMARY KEY (organisation, kind, id, field)
) STRICT;

-- Deletions: a tombstone wins over every write stamped before it.
CREATE TABLE tombstones (
    organisation TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    stamp TEXT NOT NULL,
    PRIMARY KEY (organisation, kind, id)
) STRICT;

-- Overwritten field values, for a coordinator to look through.
CREATE TABLE conflicts (
    organisation TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    stamp TEXT NOT NULL,
    logged_at TEXT NOT NULL
) STRICT;

-- Ids of append-only records already received (events, headcounts, survey responses): the same
-- record queued twice under two mutation ids is kept once.
CREATE TABLE changes_records (
    organisation TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (organisation, id)
) STRICT;
