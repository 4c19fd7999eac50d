-- bench/compare/load.sql: the read test's data, as constellation-load fill makes it on a node:
-- :total pledges of one group, in campaigns of :campaign_pledges each (each campaign's rows
-- contiguous), the last campaign being the one query.pgbench reads.
-- psql -v total=N -v campaign_pledges=N -f load.sql
\set ON_ERROR_STOP on
TRUNCATE pledges;
INSERT INTO pledges (id, group_id, campaign_id, org, amount_minor, currency, created_at, note)
SELECT sha256(int8send(i)),
       '\xa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1'::bytea,
       CASE WHEN i > :total - :campaign_pledges
            THEN '\xc1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1'::bytea
            ELSE sha256(int4send(((i - 1) / :campaign_pledges)::int)) END,
       '\x0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e'::bytea,
       100, 'EUR', timestamptz '2026-01-01 00:00:00+00' + i * interval '1 millisecond',
       'load pledge'
FROM generate_series(1, :total) AS i;
VACUUM ANALYZE pledges;
CHECKPOINT;
