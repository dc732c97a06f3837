-- The owner's changes to what the manager and staff roles may do per area
-- of the back office (EC-CUBE's 権限管理). A row overrides the built-in
-- matrix (internal/admin/permissions.go) for one role and area; no row
-- means the built-in access. The owner role is never stored: it keeps
-- full rights, so the shop can never be left without an admin who can
-- change everything.
CREATE TABLE admin_role_access (
    role       TEXT NOT NULL CHECK (role IN ('manager', 'staff')),
    area       TEXT NOT NULL,
    access     INTEGER NOT NULL CHECK (access IN (0, 1, 2)),
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (role, area)
);
