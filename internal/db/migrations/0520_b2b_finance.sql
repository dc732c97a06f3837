-- B2B quotes, approval and payment on account (掛け払い), internal/b2b.
-- Dates a person reads as dates (validity, closing, due, paid on) are
-- TEXT 'YYYY-MM-DD' in Japan time: they compare as text on both engines.

-- 掛け払い is a payment method of its own kind: offered only to a
-- company with terms (internal/b2b decides at every quote). The kind's
-- CHECK is rewritten as 0320 did for the codes.
ALTER TABLE payment_methods DROP CONSTRAINT IF EXISTS payment_methods_kind_check; -- postgres only
ALTER TABLE payment_methods ADD CONSTRAINT payment_methods_kind_check CHECK (kind IN ('bank_transfer', 'cod', 'card', 'konbini', 'manual', 'on_account')); -- postgres only
PRAGMA writable_schema = ON; -- sqlite only
UPDATE sqlite_master SET sql = replace(sql, 'CHECK (kind IN (''bank_transfer'', ''cod'', ''card'', ''konbini'', ''manual''))', 'CHECK (kind IN (''bank_transfer'', ''cod'', ''card'', ''konbini'', ''manual'', ''on_account''))') WHERE type = 'table' AND name = 'payment_methods'; -- sqlite only
PRAGMA writable_schema = RESET; -- sqlite only
INSERT INTO payment_methods (code, name_ja, name_en, fee, min_amount, max_amount, active, sort_order, kind, description_ja, description_en)
VALUES ('on_account', '掛け払い（請求書払い）', 'On account (monthly invoice)', 0, 0, 0, TRUE, 90, 'on_account',
        '月末締めの請求書でお支払いいただきます（法人のお取引条件による）。', 'Billed on your company''s monthly invoice, under its terms.')
ON CONFLICT (code) DO NOTHING;

-- company_terms: a company's approval rule and its payment terms.
-- approval: none; over (orders by buyers above approval_over, tax
-- included); all (every order by a buyer). closing_day 0 is the month's
-- end (月末締め), 1–28 that day; the invoice is due pay_months later on
-- pay_day (0: that month's end), e.g. 0/1/0 = 月末締め翌月末払い.
-- on_account false: no 掛け払い. grace_days: days past the due date
-- after which an unpaid invoice blocks new orders on account.
CREATE TABLE company_terms (
    company_id    BIGINT PRIMARY KEY REFERENCES companies (id),
    approval      TEXT NOT NULL DEFAULT 'none' CHECK (approval IN ('none', 'over', 'all')),
    approval_over BIGINT NOT NULL DEFAULT 0 CHECK (approval_over >= 0),
    on_account    BOOLEAN NOT NULL DEFAULT FALSE,
    closing_day   INTEGER NOT NULL DEFAULT 0 CHECK (closing_day BETWEEN 0 AND 28),
    pay_months    INTEGER NOT NULL DEFAULT 1 CHECK (pay_months BETWEEN 0 AND 3),
    pay_day       INTEGER NOT NULL DEFAULT 0 CHECK (pay_day BETWEEN 0 AND 28),
    credit_limit  BIGINT NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),
    grace_days    INTEGER NOT NULL DEFAULT 7 CHECK (grace_days BETWEEN 0 AND 90),
    -- payer_kana: the name the company's transfers arrive under, when it
    -- is not its name_kana (normalised when matched).
    payer_kana    TEXT NOT NULL DEFAULT '',
    updated_at    TIMESTAMPTZ NOT NULL
);

-- Quotes (見積). requested: the buyer asked; sent: the shop priced it
-- (valid until valid_until); accepted: ordered (order_id); cancelled by
-- the shop. A sent quote past valid_until is expired (derived).
CREATE TABLE quotes (
    id           BIGSERIAL PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,
    company_id   BIGINT NOT NULL REFERENCES companies (id),
    customer_id  BIGINT NOT NULL REFERENCES customers (id),
    status       TEXT NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'sent', 'accepted', 'cancelled')),
    lang         TEXT NOT NULL DEFAULT 'ja',
    request_note TEXT NOT NULL DEFAULT '',
    conditions   TEXT NOT NULL DEFAULT '',
    valid_until  TEXT NOT NULL DEFAULT '',
    total        BIGINT NOT NULL DEFAULT 0,
    order_id     BIGINT REFERENCES orders (id),
    sent_at      TIMESTAMPTZ,
    accepted_at  TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX quotes_company ON quotes (company_id, id);
CREATE INDEX quotes_status ON quotes (status, id);

-- quote_lines: unit_price is tax-included (as carts and orders keep
-- them), made from the shop's tax-excluded price (unit_excl) with the
-- rate and rounding of the day it was sent; 0 until then.
CREATE TABLE quote_lines (
    quote_id   BIGINT NOT NULL REFERENCES quotes (id) ON DELETE CASCADE,
    line       INTEGER NOT NULL,
    variant_id BIGINT NOT NULL REFERENCES variants (id),
    sku        TEXT NOT NULL,
    name_ja    TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    qty        INTEGER NOT NULL CHECK (qty > 0),
    list_price BIGINT NOT NULL DEFAULT 0,
    unit_excl  BIGINT NOT NULL DEFAULT 0 CHECK (unit_excl >= 0),
    unit_price BIGINT NOT NULL DEFAULT 0 CHECK (unit_price >= 0),
    rate       INTEGER NOT NULL DEFAULT 0,
    reduced    BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (quote_id, line)
);

-- quote_carts ties a buyer's cart to the quote being accepted through it:
-- the checkout prices that cart at the quote's prices.
CREATE TABLE quote_carts (
    cart_id  BIGINT PRIMARY KEY REFERENCES carts (id) ON DELETE CASCADE,
    quote_id BIGINT NOT NULL REFERENCES quotes (id) ON DELETE CASCADE
);

-- approval_requests: a buyer's order waiting for an approver. Nothing
-- is reserved until it is approved: the order is then placed through the
-- checkout (input: the checkout's input as JSON; lines: variant, qty and
-- the tax-included price the buyer saw).
CREATE TABLE approval_requests (
    id          BIGSERIAL PRIMARY KEY,
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    idem_key    TEXT NOT NULL UNIQUE,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    lang        TEXT NOT NULL DEFAULT 'ja',
    input       TEXT NOT NULL,
    lines       TEXT NOT NULL,
    total       BIGINT NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    decided_by  BIGINT REFERENCES customers (id),
    decided_at  TIMESTAMPTZ,
    order_id    BIGINT REFERENCES orders (id),
    last_error  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX approval_requests_company ON approval_requests (company_id, status, id);

-- Monthly invoices (請求書): one per company and closing date, listing
-- its orders on account of the period (company_invoice_orders: an order
-- is invoiced once). rates: per-rate totals and tax as JSON.
CREATE TABLE company_invoices (
    id           BIGSERIAL PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,
    company_id   BIGINT NOT NULL REFERENCES companies (id),
    period_from  TEXT NOT NULL,
    period_to    TEXT NOT NULL,
    due_date     TEXT NOT NULL,
    total        BIGINT NOT NULL,
    tax          BIGINT NOT NULL,
    rates        TEXT NOT NULL,
    paid         BIGINT NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'paid')),
    paid_on      TEXT NOT NULL DEFAULT '',
    registration TEXT NOT NULL DEFAULT '',
    run_id       BIGINT,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (company_id, period_to)
);
CREATE INDEX company_invoices_status ON company_invoices (status, due_date);

CREATE TABLE company_invoice_orders (
    order_id   BIGINT PRIMARY KEY REFERENCES orders (id),
    invoice_id BIGINT NOT NULL REFERENCES company_invoices (id)
);
CREATE INDEX company_invoice_orders_invoice ON company_invoice_orders (invoice_id);

-- invoice_runs: month-end invoicing as a job on the lease protocol; done
-- counts the companies handled (each in its own transaction).
CREATE TABLE invoice_runs (
    id              BIGSERIAL PRIMARY KEY,
    closing_date    TEXT NOT NULL,
    companies       INTEGER NOT NULL DEFAULT 0,
    done            INTEGER NOT NULL DEFAULT 0,
    invoices        INTEGER NOT NULL DEFAULT 0,
    last_company    BIGINT NOT NULL DEFAULT 0,
    actor           TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    locked_by       TEXT NOT NULL DEFAULT '',
    locked_until    TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ
);
CREATE INDEX invoice_runs_due ON invoice_runs (status, next_attempt_at);

-- invoice_payments: money received against an invoice (入金), by hand or
-- from a bank file's row (bank_row_id).
CREATE TABLE invoice_payments (
    id          BIGSERIAL PRIMARY KEY,
    invoice_id  BIGINT NOT NULL REFERENCES company_invoices (id),
    amount      BIGINT NOT NULL CHECK (amount > 0),
    paid_on     TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('manual', 'bank')),
    bank_row_id BIGINT,
    note        TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX invoice_payments_invoice ON invoice_payments (invoice_id);

-- bank_rows: every credit of an imported bank file, once (fingerprint:
-- date, amount, payer and its occurrence in the file), matched to an
-- invoice or left for a person.
CREATE TABLE bank_rows (
    id          BIGSERIAL PRIMARY KEY,
    fingerprint TEXT NOT NULL UNIQUE,
    paid_on     TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    payer       TEXT NOT NULL,
    invoice_id  BIGINT REFERENCES company_invoices (id),
    file_name   TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX bank_rows_open ON bank_rows (invoice_id, id);
