-- Up Migration

-- The sample domain: a studio books artists onto client projects. Every row belongs to one tenant
-- (a studio); composite foreign keys keep a booking's artist and project inside its tenant.
-- btree_gist lets one exclusion constraint combine "same artist" (=) with "overlapping time" (&&).
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE tenants (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TYPE user_role AS ENUM ('owner', 'producer', 'coordinator', 'viewer');

CREATE TABLE users (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  email      text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  role       user_role NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_tenant_email_key ON users (tenant_id, lower(email));

CREATE TABLE artists (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  discipline text NOT NULL CHECK (length(discipline) BETWEEN 1 AND 100),
  email      text CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
  day_rate   integer CHECK (day_rate >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
CREATE INDEX artists_tenant_name_idx ON artists (tenant_id, name);

CREATE TYPE project_status AS ENUM ('active', 'wrapped');

CREATE TABLE projects (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  client     text NOT NULL CHECK (length(client) BETWEEN 1 AND 200),
  status     project_status NOT NULL DEFAULT 'active',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
CREATE INDEX projects_tenant_name_idx ON projects (tenant_id, name);

-- hold: a soft claim, any number may overlap; pencil: a firm intent; confirmed: contracted.
-- cancelled bookings are kept for history and block nothing.
CREATE TYPE booking_status AS ENUM ('hold', 'pencil', 'confirmed', 'cancelled');

CREATE TABLE bookings (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  artist_id  uuid NOT NULL,
  project_id uuid NOT NULL,
  status     booking_status NOT NULL,
  starts_at  timestamptz NOT NULL,
  ends_at    timestamptz NOT NULL,
  notes      text CHECK (length(notes) <= 2000),
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, artist_id) REFERENCES artists (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT bookings_period_check CHECK (ends_at > starts_at),
  -- The rule: an artist cannot have two pencil/confirmed bookings whose [starts_at, ends_at) overlap.
  -- Holds and cancelled bookings are outside the WHERE, so they may overlap anything.
  CONSTRAINT bookings_no_double_booking EXCLUDE USING gist (
    artist_id WITH =,
    tstzrange(starts_at, ends_at, '[)') WITH &&
  ) WHERE (status IN ('pencil', 'confirmed'))
);
CREATE INDEX bookings_artist_period_idx ON bookings USING gist (artist_id, tstzrange(starts_at, ends_at, '[)'));
CREATE INDEX bookings_project_idx ON bookings (project_id);

-- Down Migration

DROP TABLE bookings;
DROP TYPE booking_status;
DROP TABLE projects;
DROP TYPE project_status;
DROP TABLE artists;
DROP TABLE users;
DROP TYPE user_role;
DROP TABLE tenants;
DROP EXTENSION IF EXISTS btree_gist;
