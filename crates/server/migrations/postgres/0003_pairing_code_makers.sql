-- Which device made each pairing code (none for the operator's codes): a code made by a device
-- that was revoked since does not pair, and revoking a device deletes the unused codes it made.
ALTER TABLE pairing_codes ADD COLUMN created_by TEXT;
