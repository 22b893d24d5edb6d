CREATE TABLE "rule_packs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid,
	"jurisdiction" text NOT NULL,
	"version" integer NOT NULL,
	"effective_from" date NOT NULL,
	"data" jsonb NOT NULL,
	"notes" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "authorizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"description" text,
	"discloser" text,
	"recipient" text,
	"purpose" text,
	"expires_on" date,
	"expiry_event" text,
	"signed_on" date,
	"signer_name" text,
	"signed_by_representative" boolean DEFAULT false NOT NULL,
	"representative_authority" text,
	"statement_revocation" boolean DEFAULT false NOT NULL,
	"statement_conditioning" boolean DEFAULT false NOT NULL,
	"statement_redisclosure" boolean DEFAULT false NOT NULL,
	"improper_compound" boolean DEFAULT false NOT NULL,
	"conditions_treatment" boolean DEFAULT false NOT NULL,
	"known_false" boolean DEFAULT false NOT NULL,
	"psychotherapy_notes_only" boolean DEFAULT false NOT NULL,
	"part2_consent" boolean DEFAULT false NOT NULL,
	"document_classes" text[] DEFAULT '{}'::text[] NOT NULL,
	"date_from" date,
	"date_to" date,
	"file_id" uuid,
	"revocation_received_at" timestamp with time zone,
	"revoked_by" uuid,
	"revocation_note" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fee_quotes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"basis" text NOT NULL,
	"lines" jsonb NOT NULL,
	"total_cents" integer NOT NULL,
	"rules" jsonb NOT NULL,
	"quoted_by" uuid NOT NULL,
	"quoted_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	CONSTRAINT "fee_quotes_total_check" CHECK (total_cents >= 0)
);
--> statement-breakpoint
CREATE TABLE "practice_holidays" (
	"practice_id" uuid NOT NULL,
	"date" date NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "practice_holidays_practice_id_date_pk" PRIMARY KEY("practice_id","date")
);
--> statement-breakpoint
CREATE TABLE "privacy_approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"detail" jsonb NOT NULL,
	"approved_by" uuid NOT NULL,
	"approved_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "red_flags" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"code" text NOT NULL,
	"note" text,
	"added_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_escalations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"task_id" uuid NOT NULL,
	"level" integer NOT NULL,
	"notified_user_id" uuid,
	"notified_role" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"method" text NOT NULL,
	"proof_kind" text,
	"file_id" uuid,
	"notes" text,
	"verified_by" uuid NOT NULL,
	"verified_at" timestamp with time zone NOT NULL,
	CONSTRAINT "verifications_subject_check" CHECK (subject in ('identity', 'authority'))
);
--> statement-breakpoint
ALTER TABLE "disclosures" ADD COLUMN "impermissible" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "files" ADD COLUMN "date_from" date;--> statement-breakpoint
ALTER TABLE "files" ADD COLUMN "date_to" date;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "federal_pack_id" uuid;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "state_pack_id" uuid;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "extended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "extension_reason" text;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "original_legal_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "duplicate_of_id" uuid;--> statement-breakpoint
ALTER TABLE "rule_packs" ADD CONSTRAINT "rule_packs_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorizations" ADD CONSTRAINT "authorizations_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorizations" ADD CONSTRAINT "authorizations_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorizations" ADD CONSTRAINT "authorizations_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorizations" ADD CONSTRAINT "authorizations_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorizations" ADD CONSTRAINT "authorizations_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorizations" ADD CONSTRAINT "authorizations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_quotes" ADD CONSTRAINT "fee_quotes_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_quotes" ADD CONSTRAINT "fee_quotes_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_quotes" ADD CONSTRAINT "fee_quotes_quoted_by_users_id_fk" FOREIGN KEY ("quoted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_holidays" ADD CONSTRAINT "practice_holidays_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_approvals" ADD CONSTRAINT "privacy_approvals_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_approvals" ADD CONSTRAINT "privacy_approvals_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_approvals" ADD CONSTRAINT "privacy_approvals_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "red_flags" ADD CONSTRAINT "red_flags_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "red_flags" ADD CONSTRAINT "red_flags_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "red_flags" ADD CONSTRAINT "red_flags_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_escalations" ADD CONSTRAINT "task_escalations_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_escalations" ADD CONSTRAINT "task_escalations_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_escalations" ADD CONSTRAINT "task_escalations_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_escalations" ADD CONSTRAINT "task_escalations_notified_user_id_users_id_fk" FOREIGN KEY ("notified_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verifications" ADD CONSTRAINT "verifications_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verifications" ADD CONSTRAINT "verifications_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verifications" ADD CONSTRAINT "verifications_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verifications" ADD CONSTRAINT "verifications_verified_by_users_id_fk" FOREIGN KEY ("verified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "rule_packs_version_key" ON "rule_packs" USING btree (coalesce("practice_id", '00000000-0000-0000-0000-000000000000'::uuid),"jurisdiction","version");--> statement-breakpoint
CREATE INDEX "authorizations_request_idx" ON "authorizations" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "authorizations_client_idx" ON "authorizations" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "fee_quotes_request_idx" ON "fee_quotes" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "privacy_approvals_request_idx" ON "privacy_approvals" USING btree ("request_id","kind");--> statement-breakpoint
CREATE INDEX "red_flags_request_idx" ON "red_flags" USING btree ("request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "task_escalations_once_key" ON "task_escalations" USING btree ("task_id","level");--> statement-breakpoint
CREATE INDEX "task_escalations_request_idx" ON "task_escalations" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "verifications_request_idx" ON "verifications" USING btree ("request_id");--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_federal_pack_id_rule_packs_id_fk" FOREIGN KEY ("federal_pack_id") REFERENCES "public"."rule_packs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_state_pack_id_rule_packs_id_fk" FOREIGN KEY ("state_pack_id") REFERENCES "public"."rule_packs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- rule TIME-3: a rule pack version is never edited in place; a change is a new version.
CREATE TRIGGER rule_packs_append_only BEFORE UPDATE OR DELETE ON rule_packs
  FOR EACH ROW EXECUTE FUNCTION release_desk_reject_change();
