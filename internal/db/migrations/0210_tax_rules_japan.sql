-- Japan's consumption tax in force since 1 October 2019 (JST): 10%
-- standard, 8% reduced (food and newspapers). A shop started without
-- the demo catalogue had no rates and could neither show a price nor
-- sell; the operator changes or schedules rates in 設定 › 税率設定.
-- The instant is JST midnight, written as the SQLite driver writes
-- times, so the demo's own rows (the same instant) are not doubled.
INSERT INTO tax_rules (tax_class, rate_bp, effective_from) VALUES
    ('standard', 1000, '2019-09-30 15:00:00+00:00'),
    ('reduced', 800, '2019-09-30 15:00:00+00:00')
ON CONFLICT (tax_class, effective_from) DO NOTHING;
