ALTER TABLE "authorizations" ADD COLUMN "prepared_by_practice" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "authorizations" ADD COLUMN "form_file_id" uuid;--> statement-breakpoint
ALTER TABLE "authorizations" ADD COLUMN "signer_copy_method" text;--> statement-breakpoint
ALTER TABLE "authorizations" ADD COLUMN "signer_copy_given_on" date;--> statement-breakpoint
ALTER TABLE "authorizations" ADD CONSTRAINT "authorizations_form_file_id_files_id_fk" FOREIGN KEY ("form_file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- rule AUTH-6: signed authorizations, revocations and denials are kept at least six years from when
-- they were created or last in effect, whichever is later (164.530(j)(2)). A row younger than that
-- cannot be deleted, whoever asks; the columns to measure from are the trigger's arguments.
CREATE OR REPLACE FUNCTION release_desk_retain_six_years() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row_json jsonb := to_jsonb(OLD);
  last_in_effect timestamptz := '-infinity';
  col text;
BEGIN
  FOREACH col IN ARRAY TG_ARGV LOOP
    IF row_json ->> col IS NOT NULL THEN
      last_in_effect := greatest(last_in_effect, (row_json ->> col)::timestamptz);
    END IF;
  END LOOP;
  IF last_in_effect > now() - interval '6 years' THEN
    RAISE EXCEPTION 'rule AUTH-6: % are kept at least 6 years after they were last in effect (this one until %)',
      TG_TABLE_NAME, (last_in_effect + interval '6 years')::date
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN OLD;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER authorizations_retained BEFORE DELETE ON authorizations
  FOR EACH ROW EXECUTE FUNCTION release_desk_retain_six_years('created_at', 'expires_on', 'revocation_received_at');
--> statement-breakpoint
CREATE TRIGGER requests_retained BEFORE DELETE ON requests
  FOR EACH ROW EXECUTE FUNCTION release_desk_retain_six_years('created_at', 'ended_at', 'updated_at');
--> statement-breakpoint
CREATE TRIGGER privacy_approvals_retained BEFORE DELETE ON privacy_approvals
  FOR EACH ROW EXECUTE FUNCTION release_desk_retain_six_years('approved_at');
--> statement-breakpoint
-- The signed forms, the letters (denials, extension notices, no-records answers) and legal papers.
CREATE TRIGGER files_retained BEFORE DELETE ON files
  FOR EACH ROW WHEN (OLD.purpose IN ('authorization', 'letter', 'legal_document'))
  EXECUTE FUNCTION release_desk_retain_six_years('created_at');
--> statement-breakpoint
CREATE TRIGGER authorizations_no_truncate BEFORE TRUNCATE ON authorizations
  FOR EACH STATEMENT EXECUTE FUNCTION release_desk_reject_change();
--> statement-breakpoint
CREATE TRIGGER requests_no_truncate BEFORE TRUNCATE ON requests
  FOR EACH STATEMENT EXECUTE FUNCTION release_desk_reject_change();
--> statement-breakpoint
CREATE TRIGGER privacy_approvals_no_truncate BEFORE TRUNCATE ON privacy_approvals
  FOR EACH STATEMENT EXECUTE FUNCTION release_desk_reject_change();
--> statement-breakpoint
CREATE TRIGGER files_no_truncate BEFORE TRUNCATE ON files
  FOR EACH STATEMENT EXECUTE FUNCTION release_desk_reject_change();
--> statement-breakpoint
-- rules AUTH-5, AUTH-6: a signed authorization is kept as it was received. Only what happens to it
-- later is added, once each: its revocation (AUTH-5) and the record of the signer's copy (AUTH-7).
CREATE OR REPLACE FUNCTION release_desk_authorization_kept() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  unchanged authorizations;
BEGIN
  IF OLD.revocation_received_at IS NOT NULL AND (
    NEW.revocation_received_at IS DISTINCT FROM OLD.revocation_received_at
    OR NEW.revoked_by IS DISTINCT FROM OLD.revoked_by
    OR NEW.revocation_note IS DISTINCT FROM OLD.revocation_note
  ) THEN
    RAISE EXCEPTION 'rule AUTH-5: a recorded revocation is never changed or withdrawn'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.signer_copy_given_on IS NOT NULL AND (
    NEW.signer_copy_given_on IS DISTINCT FROM OLD.signer_copy_given_on
    OR NEW.signer_copy_method IS DISTINCT FROM OLD.signer_copy_method
  ) THEN
    RAISE EXCEPTION 'rule AUTH-7: the record of the signer''s copy is never changed'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  unchanged := NEW;
  unchanged.revocation_received_at := OLD.revocation_received_at;
  unchanged.revoked_by := OLD.revoked_by;
  unchanged.revocation_note := OLD.revocation_note;
  unchanged.signer_copy_given_on := OLD.signer_copy_given_on;
  unchanged.signer_copy_method := OLD.signer_copy_method;
  IF unchanged IS DISTINCT FROM OLD THEN
    RAISE EXCEPTION 'rule AUTH-6: a signed authorization is kept as received; record a new one instead'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER authorizations_kept BEFORE UPDATE ON authorizations
  FOR EACH ROW EXECUTE FUNCTION release_desk_authorization_kept();
