ALTER TABLE "outbound_emails" ALTER COLUMN "text" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "outbound_emails" ALTER COLUMN "html" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD COLUMN "body_sealed" "bytea";--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD CONSTRAINT "outbound_emails_body_check" CHECK ((body_sealed is not null and text is null and html is null) or (body_sealed is null and text is not null and html is not null));--> statement-breakpoint
-- rule SEC-4, SEC-5: an email's body is sealed by the application (the key never reaches SQL); rows
-- written before this migration keep their plain body until boot seals them (mail/outbox-body.ts).
-- The application writes every new body sealed (one helper, mail/outbox-body.ts); a plain row may
-- still be inserted by `restore` of a backup made before this migration (sealed at the next boot).
-- An update may clear the plain columns, never fill them: a sealed body is never put back in plain.
CREATE FUNCTION outbound_emails_never_unsealed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.text IS DISTINCT FROM OLD.text AND NEW.text IS NOT NULL
     OR NEW.html IS DISTINCT FROM OLD.html AND NEW.html IS NOT NULL THEN
    RAISE EXCEPTION 'outbound_emails: an email body is stored sealed (body_sealed), never put back in plain'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER outbound_emails_never_unsealed BEFORE UPDATE ON "outbound_emails"
  FOR EACH ROW EXECUTE FUNCTION outbound_emails_never_unsealed();
