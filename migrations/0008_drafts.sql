CREATE TABLE "draft_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"kind" text DEFAULT 'comment' NOT NULL,
	"body_sealed" "bytea" NOT NULL,
	"author_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "draft_comments_kind_check" CHECK (kind in ('comment', 'changes_requested'))
);
--> statement-breakpoint
CREATE TABLE "draft_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"draft_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"content_sealed" "bytea" NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"author_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"file_id" uuid,
	"superseded_at" timestamp with time zone,
	CONSTRAINT "draft_versions_state_check" CHECK (state in ('draft', 'submitted', 'changes_requested', 'approved')),
	CONSTRAINT "draft_versions_decided_check" CHECK (state not in ('approved', 'changes_requested') or (decided_by is not null and decided_at is not null))
);
--> statement-breakpoint
CREATE TABLE "drafts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"template" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "drafts_kind_check" CHECK (kind in ('letter', 'report', 'verbal_notes'))
);
--> statement-breakpoint
ALTER TABLE "draft_comments" ADD CONSTRAINT "draft_comments_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_comments" ADD CONSTRAINT "draft_comments_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_comments" ADD CONSTRAINT "draft_comments_version_id_draft_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."draft_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_comments" ADD CONSTRAINT "draft_comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_versions" ADD CONSTRAINT "draft_versions_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_versions" ADD CONSTRAINT "draft_versions_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_versions" ADD CONSTRAINT "draft_versions_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_versions" ADD CONSTRAINT "draft_versions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_versions" ADD CONSTRAINT "draft_versions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_versions" ADD CONSTRAINT "draft_versions_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drafts" ADD CONSTRAINT "drafts_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drafts" ADD CONSTRAINT "drafts_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drafts" ADD CONSTRAINT "drafts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "draft_comments_version_idx" ON "draft_comments" USING btree ("version_id");--> statement-breakpoint
CREATE UNIQUE INDEX "draft_versions_number_key" ON "draft_versions" USING btree ("draft_id","number");--> statement-breakpoint
CREATE INDEX "draft_versions_request_idx" ON "draft_versions" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "draft_versions_file_idx" ON "draft_versions" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "drafts_request_idx" ON "drafts" USING btree ("request_id");--> statement-breakpoint
-- Prepared documents (procedure step 4): versions and comments are kept, never deleted; a version's
-- place (draft, number, author, time) never changes; a decided version's decision and its rendered
-- file never change (only its sealed words may be re-sealed when the master key rotates, and only
-- `superseded_at` may be set once a later version exists).
CREATE OR REPLACE FUNCTION release_desk_draft_version_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'a version of a prepared document is kept: it can never be deleted'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.draft_id IS DISTINCT FROM OLD.draft_id
    OR NEW.number IS DISTINCT FROM OLD.number
    OR NEW.author_id IS DISTINCT FROM OLD.author_id
    OR NEW.created_at IS DISTINCT FROM OLD.created_at
    OR NEW.request_id IS DISTINCT FROM OLD.request_id
    OR NEW.practice_id IS DISTINCT FROM OLD.practice_id
    OR (OLD.state IN ('approved', 'changes_requested') AND (
      NEW.state IS DISTINCT FROM OLD.state
      OR NEW.decided_by IS DISTINCT FROM OLD.decided_by
      OR NEW.decided_at IS DISTINCT FROM OLD.decided_at
      OR NEW.file_id IS DISTINCT FROM OLD.file_id))
    OR (OLD.superseded_at IS NOT NULL AND NEW.superseded_at IS DISTINCT FROM OLD.superseded_at)
  THEN
    RAISE EXCEPTION 'a decided version of a prepared document can never be changed'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER draft_versions_kept BEFORE UPDATE OR DELETE ON draft_versions
  FOR EACH ROW EXECUTE FUNCTION release_desk_draft_version_kept();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION release_desk_draft_comment_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.version_id IS DISTINCT FROM OLD.version_id
    OR NEW.author_id IS DISTINCT FROM OLD.author_id OR NEW.kind IS DISTINCT FROM OLD.kind
    OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
    RAISE EXCEPTION 'a comment on a prepared document is kept as written'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER draft_comments_kept BEFORE UPDATE OR DELETE ON draft_comments
  FOR EACH ROW EXECUTE FUNCTION release_desk_draft_comment_kept();
