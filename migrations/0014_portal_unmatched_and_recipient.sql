ALTER TABLE "clients" ADD COLUMN "portal_unmatched" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "recipient_name" text;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "recipient_organization" text;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "recipient_email" text;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "recipient_address" text;