-- bench/compare/schema.sql: the pledges table PostgreSQL gets, the shape of one Constellation
-- pledge (sdk/include/constellation/fundraising.h): 32-byte ids and org key as Constellation
-- has them, integer minor units, an ISO-4217 code, a creation time and a note.
\set ON_ERROR_STOP on
DROP TABLE IF EXISTS pledges;
CREATE TABLE pledges (
  id           bytea PRIMARY KEY,      -- 32 bytes, like a pledge's event id
  group_id     bytea NOT NULL,
  campaign_id  bytea NOT NULL,
  org          bytea NOT NULL,         -- the pledging organisation's key
  amount_minor bigint NOT NULL,
  currency     char(3) NOT NULL,
  created_at   timestamptz NOT NULL,
  note         text NOT NULL
);
-- One campaign's pledges in creation order (Constellation lists them in canonical order).
CREATE INDEX pledges_campaign ON pledges (campaign_id, created_at, id);
