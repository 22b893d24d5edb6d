-- Custom SQL migration file, put your code below! --
-- A migrated database must stay empty for `backup restore`: 0006 seeded mail_state; the dispatcher
-- now falls back to the date email shipped (src/server/mail/dispatch.ts, MAIL_EPOCH) when it has no row.
DELETE FROM "mail_state";
