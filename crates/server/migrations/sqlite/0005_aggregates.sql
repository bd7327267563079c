-- A member's figures for its umbrella on this server (spor_core::aggregate::Sending): the core
-- indicators of a standard package over one period, without personal data, kept after a
-- coordinator's consent for that period. A second sending of the same period replaces the first.
CREATE TABLE aggregates (
    to_organisation TEXT NOT NULL,
    from_organisation TEXT NOT NULL,
    package TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_by TEXT NOT NULL,
    consented_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (to_organisation, from_organisation, package, period_from, period_to)
) STRICT;
