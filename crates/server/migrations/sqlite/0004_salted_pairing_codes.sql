-- Pairing codes are hashed with a salt of their own (codes stored before have none and still pair),
-- carry an id a coordinator cancels them by, and are deleted once used or expired.
ALTER TABLE pairing_codes ADD COLUMN salt BLOB;
ALTER TABLE pairing_codes ADD COLUMN id TEXT;
UPDATE pairing_codes SET id = lower(hex(randomblob(16)));
DELETE FROM pairing_codes WHERE used_at IS NOT NULL;
CREATE UNIQUE INDEX pairing_codes_by_id ON pairing_codes (id);
