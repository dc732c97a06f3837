-- Cool delivery of a delivery method ('' none, 'chilled', 'frozen'): the
-- carrier label exports map it to each carrier's code (Yamato B2
-- クール区分 0/2/1).
ALTER TABLE delivery_methods ADD COLUMN cool TEXT NOT NULL DEFAULT '';
