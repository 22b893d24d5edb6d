CREATE TABLE "accounting_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"requester_name" text NOT NULL,
	"requester_relationship" text NOT NULL,
	"requester_contact" text,
	"received_at" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"original_due_at" timestamp with time zone,
	"extended_at" timestamp with time zone,
	"extended_by" uuid,
	"extension_reason" text,
	"fee_free" boolean NOT NULL,
	"fee_cents" integer DEFAULT 0 NOT NULL,
	"fee_agreed" boolean DEFAULT false NOT NULL,
	"notes" text,
	"fulfilled_at" timestamp with time zone,
	"fulfilled_by" uuid,
	"fulfilment_method" text,
	"provided_entries" jsonb,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "accounting_requests_period_check" CHECK ("accounting_requests"."period_from" <= "accounting_requests"."period_to"),
	CONSTRAINT "accounting_requests_fee_check" CHECK ("accounting_requests"."fee_cents" >= 0 and (not "accounting_requests"."fee_free" or "accounting_requests"."fee_cents" = 0)),
	CONSTRAINT "accounting_requests_relationship_check" CHECK (requester_relationship in ('client', 'representative'))
);
--> statement-breakpoint
CREATE TABLE "accounting_suspensions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"agency" text NOT NULL,
	"reason" text NOT NULL,
	"statement" text NOT NULL,
	"starts_on" date NOT NULL,
	"until" date NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "accounting_suspensions_period_check" CHECK ("accounting_suspensions"."starts_on" <= "accounting_suspensions"."until"),
	CONSTRAINT "accounting_suspensions_statement_check" CHECK (statement in ('written', 'oral'))
);
--> statement-breakpoint
ALTER TABLE "accounting_requests" ADD CONSTRAINT "accounting_requests_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounting_requests" ADD CONSTRAINT "accounting_requests_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounting_requests" ADD CONSTRAINT "accounting_requests_extended_by_users_id_fk" FOREIGN KEY ("extended_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounting_requests" ADD CONSTRAINT "accounting_requests_fulfilled_by_users_id_fk" FOREIGN KEY ("fulfilled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounting_requests" ADD CONSTRAINT "accounting_requests_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounting_suspensions" ADD CONSTRAINT "accounting_suspensions_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounting_suspensions" ADD CONSTRAINT "accounting_suspensions_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounting_suspensions" ADD CONSTRAINT "accounting_suspensions_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accounting_requests_client_idx" ON "accounting_requests" USING btree ("client_id","received_at");--> statement-breakpoint
CREATE INDEX "accounting_suspensions_client_idx" ON "accounting_suspensions" USING btree ("client_id");
--> statement-breakpoint
-- rule REL-4 (164.528(a)(2)): an agency's suspension is documented and kept as recorded.
CREATE TRIGGER accounting_suspensions_append_only BEFORE UPDATE OR DELETE ON accounting_suspensions
  FOR EACH ROW EXECUTE FUNCTION release_desk_reject_change();
--> statement-breakpoint
-- rule TIME-4, REL-4 (164.528(d)): an accounting request and the accounting provided are kept, never deleted.
CREATE TRIGGER accounting_requests_no_delete BEFORE DELETE ON accounting_requests
  FOR EACH ROW EXECUTE FUNCTION release_desk_reject_change();
