CREATE TABLE "delivery_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"packet_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"recipient_name" text NOT NULL,
	"recipient_email" text NOT NULL,
	"second_channel" text NOT NULL,
	"code_hash" text NOT NULL,
	"phone_code_hash" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_at" timestamp with time zone,
	"grant_hash" text,
	"grant_expires_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"max_downloads" integer DEFAULT 5 NOT NULL,
	"downloads" integer DEFAULT 0 NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"revoke_reason" text,
	"authorization_id" uuid,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "delivery_links_channel_check" CHECK (second_channel in ('none', 'phone_code', 'date_of_birth')),
	CONSTRAINT "delivery_links_downloads_check" CHECK (downloads >= 0 and downloads <= max_downloads),
	CONSTRAINT "delivery_links_max_check" CHECK (max_downloads between 1 and 20),
	CONSTRAINT "delivery_links_phone_check" CHECK ((second_channel = 'phone_code') = (phone_code_hash is not null))
);
--> statement-breakpoint
CREATE TABLE "packets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"source_file_ids" uuid[] NOT NULL,
	"file_id" uuid,
	"sha256" text,
	"page_count" integer,
	"size" integer,
	"part2" boolean DEFAULT false NOT NULL,
	"problem" text,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"assembled_at" timestamp with time zone,
	"released_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "packets_status_check" CHECK (status in ('queued', 'ready', 'blocked', 'superseded', 'released')),
	CONSTRAINT "packets_ready_check" CHECK (status not in ('ready', 'released') or (file_id is not null and sha256 is not null and page_count is not null))
);
--> statement-breakpoint
ALTER TABLE "delivery_links" ADD CONSTRAINT "delivery_links_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_links" ADD CONSTRAINT "delivery_links_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_links" ADD CONSTRAINT "delivery_links_packet_id_packets_id_fk" FOREIGN KEY ("packet_id") REFERENCES "public"."packets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_links" ADD CONSTRAINT "delivery_links_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_links" ADD CONSTRAINT "delivery_links_authorization_id_authorizations_id_fk" FOREIGN KEY ("authorization_id") REFERENCES "public"."authorizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_links" ADD CONSTRAINT "delivery_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "packets" ADD CONSTRAINT "packets_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "packets" ADD CONSTRAINT "packets_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "packets" ADD CONSTRAINT "packets_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "packets" ADD CONSTRAINT "packets_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "delivery_links_token_key" ON "delivery_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "delivery_links_request_idx" ON "delivery_links" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "delivery_links_authorization_idx" ON "delivery_links" USING btree ("authorization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "packets_request_version_key" ON "packets" USING btree ("request_id","version");--> statement-breakpoint
CREATE INDEX "packets_practice_idx" ON "packets" USING btree ("practice_id");--> statement-breakpoint
-- rule REL-5: a packet is immutable once released; a change is a new version with a new hash. Once
-- a packet has its file and hash, those never change (only its status moves on: ready -> released
-- or superseded); a released packet row is never changed or deleted, whoever asks.
CREATE OR REPLACE FUNCTION release_desk_packet_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'released' THEN
    RAISE EXCEPTION 'rule REL-5: packet % (version %) was released and can never be changed or deleted: assemble a new version',
      OLD.id, OLD.version
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.sha256 IS NOT NULL AND (
    NEW.sha256 IS DISTINCT FROM OLD.sha256
    OR NEW.file_id IS DISTINCT FROM OLD.file_id
    OR NEW.page_count IS DISTINCT FROM OLD.page_count
    OR NEW.size IS DISTINCT FROM OLD.size
    OR NEW.source_file_ids IS DISTINCT FROM OLD.source_file_ids
    OR NEW.version IS DISTINCT FROM OLD.version
    OR NEW.request_id IS DISTINCT FROM OLD.request_id
    OR NEW.practice_id IS DISTINCT FROM OLD.practice_id
    OR NEW.part2 IS DISTINCT FROM OLD.part2
  ) THEN
    RAISE EXCEPTION 'rule REL-5: an assembled packet keeps its content and hash: assemble a new version'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER packets_immutable BEFORE UPDATE OR DELETE ON packets
  FOR EACH ROW EXECUTE FUNCTION release_desk_packet_immutable();
--> statement-breakpoint
CREATE TRIGGER packets_no_truncate BEFORE TRUNCATE ON packets
  FOR EACH STATEMENT EXECUTE FUNCTION release_desk_reject_change();
--> statement-breakpoint
-- rule REL-5: the encrypted file of a released packet keeps its content (only its wrapped key may be
-- re-wrapped when the master key rotates) and is never deleted.
CREATE OR REPLACE FUNCTION release_desk_packet_file_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM packets p WHERE p.file_id = OLD.id AND p.status = 'released') AND (
    TG_OP = 'DELETE'
    OR NEW.ciphertext IS DISTINCT FROM OLD.ciphertext
    OR NEW.iv IS DISTINCT FROM OLD.iv
    OR NEW.auth_tag IS DISTINCT FROM OLD.auth_tag
    OR NEW.sha256 IS DISTINCT FROM OLD.sha256
    OR NEW.size IS DISTINCT FROM OLD.size
    OR NEW.request_id IS DISTINCT FROM OLD.request_id
    OR NEW.practice_id IS DISTINCT FROM OLD.practice_id
  ) THEN
    RAISE EXCEPTION 'rule REL-5: the file of a released packet can never be changed or deleted'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER files_packet_kept BEFORE UPDATE OR DELETE ON files
  FOR EACH ROW WHEN (OLD.purpose = 'packet')
  EXECUTE FUNCTION release_desk_packet_file_kept();
