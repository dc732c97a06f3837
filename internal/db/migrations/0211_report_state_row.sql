-- report_state's one row, so a refresh only claims and updates it (the
-- time literal is written as the SQLite driver writes times).
INSERT INTO report_state (id, watermark, lock_until) VALUES (1, '1970-01-01 00:00:00+00:00', '1970-01-01 00:00:00+00:00')
ON CONFLICT (id) DO NOTHING;
