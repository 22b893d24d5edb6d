CREATE TABLE "portal_intake_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid NOT NULL,
	"email_hash" text NOT NULL,
	"code_hash" text NOT NULL,
	"ip" text,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_at" timestamp with time zone,
	"used_at" timestamp with time zone,
	"request_id" uuid,
	CONSTRAINT "portal_intake_codes_attempts_check" CHECK ("portal_intake_codes"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "portal_intake_spent_challenges" (
	"id" text PRIMARY KEY NOT NULL,
	"spent_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "portal_intake_codes" ADD CONSTRAINT "portal_intake_codes_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_intake_codes" ADD CONSTRAINT "portal_intake_codes_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "portal_intake_codes_email_idx" ON "portal_intake_codes" USING btree ("practice_id","email_hash","created_at");--> statement-breakpoint
CREATE INDEX "portal_intake_codes_ip_idx" ON "portal_intake_codes" USING btree ("ip","created_at");