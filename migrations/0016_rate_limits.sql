CREATE TABLE "rate_limit_counters" (
	"key_hash" text NOT NULL,
	"window_ms" integer NOT NULL,
	"hits" integer NOT NULL,
	"reset_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rate_limit_counters_key_hash_window_ms_pk" PRIMARY KEY("key_hash","window_ms"),
	CONSTRAINT "rate_limit_counters_hits_check" CHECK ("rate_limit_counters"."hits" > 0),
	CONSTRAINT "rate_limit_counters_window_check" CHECK ("rate_limit_counters"."window_ms" > 0)
);
--> statement-breakpoint
CREATE INDEX "rate_limit_counters_reset_idx" ON "rate_limit_counters" USING btree ("reset_at");--> statement-breakpoint
-- Issue 8, several instances: the rate limits' counts live here so every instance spends one budget
-- (http/rate-limit-store.ts). UNLOGGED: a counted request writes no WAL, so its commit waits for no
-- disk flush; the price is an empty table after a PostgreSQL crash (each window starts again) and
-- none on a streaming replica (after a failover likewise), both only forgiving a few guesses.
ALTER TABLE "rate_limit_counters" SET UNLOGGED;
