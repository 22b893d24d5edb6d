-- Custom SQL migration file, put your code below! --
-- rule SEC-3: the audit log is append-only. A trigger rejects UPDATE, DELETE and TRUNCATE, and the
-- connecting role gives up those privileges on it (the owner could grant them back, the app never does).
CREATE OR REPLACE FUNCTION release_desk_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION release_desk_reject_change();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION release_desk_reject_change();
--> statement-breakpoint
-- rule REL-3: disclosure entries are append-only too.
CREATE TRIGGER disclosures_append_only BEFORE UPDATE OR DELETE ON disclosures
  FOR EACH ROW EXECUTE FUNCTION release_desk_reject_change();
--> statement-breakpoint
CREATE TRIGGER disclosures_no_truncate BEFORE TRUNCATE ON disclosures
  FOR EACH STATEMENT EXECUTE FUNCTION release_desk_reject_change();
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, disclosures FROM PUBLIC, CURRENT_USER;
--> statement-breakpoint
-- Supervision links form chains, never cycles: walking up from the new supervisor must not reach
-- the supervisee.
CREATE OR REPLACE FUNCTION release_desk_supervision_no_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  found boolean;
BEGIN
  WITH RECURSIVE up(id) AS (
    SELECT NEW.supervisor_id
    UNION
    SELECT s.supervisor_id FROM supervision_links s JOIN up ON s.supervisee_id = up.id
  )
  SELECT EXISTS (SELECT 1 FROM up WHERE id = NEW.supervisee_id) INTO found;
  IF found THEN
    RAISE EXCEPTION 'supervision links may not form a cycle' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER supervision_links_no_cycle BEFORE INSERT OR UPDATE ON supervision_links
  FOR EACH ROW EXECUTE FUNCTION release_desk_supervision_no_cycle();
