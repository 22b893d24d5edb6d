CREATE TABLE "inbound_emails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid,
	"request_id" uuid,
	"thread" text,
	"via" text NOT NULL,
	"message_id" text,
	"dedupe_key" text NOT NULL,
	"in_reply_to" text,
	"references" text[] DEFAULT '{}'::text[] NOT NULL,
	"from_address" text,
	"from_name" text,
	"recipients" text[] DEFAULT '{}'::text[] NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"matched_by" text,
	"status" text NOT NULL,
	"reason" text,
	"raw_sealed" "bytea",
	"raw_size" integer NOT NULL,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"thread_message_id" uuid,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "inbound_emails_status_check" CHECK (status in ('threaded', 'triage', 'attached', 'dismissed', 'loop', 'duplicate', 'malformed')),
	CONSTRAINT "inbound_emails_via_check" CHECK (via in ('smtp', 'imap'))
);
--> statement-breakpoint
CREATE TABLE "mail_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"uid_validity" bigint NOT NULL,
	"last_uid" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"dispatch_since" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_thread_addresses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"thread" text NOT NULL,
	"token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mail_thread_addresses_thread_check" CHECK (thread in ('internal', 'requester'))
);
--> statement-breakpoint
CREATE TABLE "outbound_emails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"thread_message_id" uuid,
	"inbound_email_id" uuid,
	"thread" text NOT NULL,
	"kind" text NOT NULL,
	"message_id" text NOT NULL,
	"in_reply_to" text,
	"references" text[] DEFAULT '{}'::text[] NOT NULL,
	"reply_to" text NOT NULL,
	"recipients" text[] NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"html" text NOT NULL,
	"carries_code" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone,
	"accepted" text[],
	"rejected" text[],
	"server_response" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbound_emails_status_check" CHECK (status in ('outbox', 'queued', 'retrying', 'sent', 'failed', 'no_recipients')),
	CONSTRAINT "outbound_emails_thread_check" CHECK (thread in ('internal', 'requester'))
);
--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD CONSTRAINT "inbound_emails_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD CONSTRAINT "inbound_emails_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD CONSTRAINT "inbound_emails_thread_message_id_thread_messages_id_fk" FOREIGN KEY ("thread_message_id") REFERENCES "public"."thread_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD CONSTRAINT "inbound_emails_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_thread_addresses" ADD CONSTRAINT "mail_thread_addresses_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_thread_addresses" ADD CONSTRAINT "mail_thread_addresses_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD CONSTRAINT "outbound_emails_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD CONSTRAINT "outbound_emails_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD CONSTRAINT "outbound_emails_thread_message_id_thread_messages_id_fk" FOREIGN KEY ("thread_message_id") REFERENCES "public"."thread_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbound_emails_practice_status_idx" ON "inbound_emails" USING btree ("practice_id","status","received_at");--> statement-breakpoint
CREATE INDEX "inbound_emails_dedupe_idx" ON "inbound_emails" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "inbound_emails_request_idx" ON "inbound_emails" USING btree ("request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mail_thread_addresses_token_key" ON "mail_thread_addresses" USING btree ("token");--> statement-breakpoint
CREATE UNIQUE INDEX "mail_thread_addresses_thread_key" ON "mail_thread_addresses" USING btree ("request_id","thread");--> statement-breakpoint
CREATE UNIQUE INDEX "outbound_emails_message_key" ON "outbound_emails" USING btree ("thread_message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbound_emails_message_id_key" ON "outbound_emails" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "outbound_emails_practice_status_idx" ON "outbound_emails" USING btree ("practice_id","status","created_at");--> statement-breakpoint
CREATE INDEX "outbound_emails_request_idx" ON "outbound_emails" USING btree ("request_id");--> statement-breakpoint
-- Thread messages written from now on are emailed; earlier ones are not sent on upgrade.
INSERT INTO "mail_state" ("id", "dispatch_since") VALUES (1, now()) ON CONFLICT DO NOTHING;--> statement-breakpoint
ALTER TABLE "mail_state" ADD CONSTRAINT "mail_state_single_row" CHECK ("id" = 1);
