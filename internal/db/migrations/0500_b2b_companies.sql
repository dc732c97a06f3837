-- Business customers (BtoB 受発注). A company is the buyer of record:
-- its name and registration number go on quotes and invoices, its
-- billing address receives the monthly invoice. The people who order
-- for it are ordinary customer accounts (so they sign in the same way,
-- passkeys included), each a member of at most one company with a role.
-- Later migrations of the B2B packages add price lists, approval and
-- payment-on-account columns of their own.
CREATE TABLE companies (
    id                  BIGSERIAL PRIMARY KEY,
    name                TEXT NOT NULL,
    name_kana           TEXT NOT NULL DEFAULT '',
    -- registration_number is the qualified-invoice issuer number
    -- (T + 13 digits) or '' when the company has none.
    registration_number TEXT NOT NULL DEFAULT '',
    -- applied: waiting for the shop's review; active: may order;
    -- suspended: may sign in and look, not order; rejected: application refused.
    status              TEXT NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'active', 'suspended', 'rejected')),
    phone               TEXT NOT NULL DEFAULT '',
    email               TEXT NOT NULL DEFAULT '',
    postal_code         TEXT NOT NULL DEFAULT '',
    pref                INTEGER NOT NULL DEFAULT 0,
    city                TEXT NOT NULL DEFAULT '',
    address1            TEXT NOT NULL DEFAULT '',
    address2            TEXT NOT NULL DEFAULT '',
    note                TEXT NOT NULL DEFAULT '',
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX companies_status ON companies (status, id);

-- company_members ties customer accounts to a company. buyer: orders;
-- approver: orders and approves the buyers' orders; admin: all of that
-- and invites or removes the company's users.
CREATE TABLE company_members (
    customer_id BIGINT PRIMARY KEY REFERENCES customers (id),
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    role        TEXT NOT NULL CHECK (role IN ('buyer', 'approver', 'admin')),
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX company_members_company ON company_members (company_id, role);

-- company_sites are the delivery sites (納品先) a company orders to.
CREATE TABLE company_sites (
    id          BIGSERIAL PRIMARY KEY,
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    label       TEXT NOT NULL,
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL,
    pref        INTEGER NOT NULL,
    city        TEXT NOT NULL,
    address1    TEXT NOT NULL,
    address2    TEXT NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX company_sites_company ON company_sites (company_id, sort_order);
