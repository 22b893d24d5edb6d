CREATE TABLE "file_blob_chunks" (
	"blob_id" uuid NOT NULL,
	"index" integer NOT NULL,
	"iv" "bytea" NOT NULL,
	"auth_tag" "bytea" NOT NULL,
	"ciphertext" "bytea" NOT NULL,
	CONSTRAINT "file_blob_chunks_pkey" PRIMARY KEY("blob_id","index"),
	CONSTRAINT "file_blob_chunks_index_check" CHECK (index >= 0)
);
--> statement-breakpoint
CREATE TABLE "file_blobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"practice_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"wrapped_key" "bytea" NOT NULL,
	"chunk_size" integer NOT NULL,
	"chunk_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "file_blobs_shape_check" CHECK (size >= 0 and chunk_size > 0 and chunk_count >= 0)
);
--> statement-breakpoint
ALTER TABLE "files" ALTER COLUMN "wrapped_key" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "files" ALTER COLUMN "iv" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "files" ALTER COLUMN "auth_tag" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "files" ALTER COLUMN "ciphertext" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "files" ADD COLUMN "blob_id" uuid;--> statement-breakpoint
ALTER TABLE "file_blob_chunks" ADD CONSTRAINT "file_blob_chunks_blob_id_file_blobs_id_fk" FOREIGN KEY ("blob_id") REFERENCES "public"."file_blobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "file_blobs" ADD CONSTRAINT "file_blobs_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "file_blobs_practice_sha256_key" ON "file_blobs" USING btree ("practice_id","sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "file_blobs_identity_key" ON "file_blobs" USING btree ("id","practice_id","sha256","size");--> statement-breakpoint
CREATE INDEX "files_blob_idx" ON "files" USING btree ("blob_id");--> statement-breakpoint
ALTER TABLE "files" ADD CONSTRAINT "files_content_check" CHECK ((blob_id is not null and wrapped_key is null and iv is null and auth_tag is null and ciphertext is null)
        or (blob_id is null and wrapped_key is not null and iv is not null and auth_tag is not null and ciphertext is not null));--> statement-breakpoint
-- rule SEC-4: a file's practice, hash and size are its blob's (the same bytes are shared within a
-- practice, never between practices). A row written before blobs has no blob_id yet (MATCH SIMPLE).
ALTER TABLE "files" ADD CONSTRAINT "files_blob_fk" FOREIGN KEY ("blob_id", "practice_id", "sha256", "size")
  REFERENCES "public"."file_blobs"("id", "practice_id", "sha256", "size") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
-- Chunks are ciphertext the size of their content; PostgreSQL's compression would only cost time.
ALTER TABLE "file_blob_chunks" ALTER COLUMN "ciphertext" SET STORAGE EXTERNAL;
--> statement-breakpoint
-- rules SEC-4, AUTH-6, REL-5: content is never changed in place. A blob keeps its practice, hash,
-- size and chunking forever; only its wrapped key may be re-wrapped when the master key rotates.
CREATE OR REPLACE FUNCTION release_desk_blob_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id IS DISTINCT FROM OLD.id
    OR NEW.practice_id IS DISTINCT FROM OLD.practice_id
    OR NEW.sha256 IS DISTINCT FROM OLD.sha256
    OR NEW.size IS DISTINCT FROM OLD.size
    OR NEW.chunk_size IS DISTINCT FROM OLD.chunk_size
    OR NEW.chunk_count IS DISTINCT FROM OLD.chunk_count
    OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
    RAISE EXCEPTION 'rule SEC-4: stored content never changes (blob %): only its key may be re-wrapped', OLD.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER file_blobs_kept BEFORE UPDATE ON file_blobs
  FOR EACH ROW EXECUTE FUNCTION release_desk_blob_kept();
--> statement-breakpoint
-- A chunk is never changed; it is deleted only with a blob no file refers to any more (so the
-- content of a kept authorization, letter or released packet stays whole: AUTH-6, REL-5).
CREATE OR REPLACE FUNCTION release_desk_blob_chunk_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'rule SEC-4: stored content never changes (a chunk of blob %)', OLD.blob_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF EXISTS (SELECT 1 FROM files f WHERE f.blob_id = OLD.blob_id) THEN
    RAISE EXCEPTION 'rule SEC-4: the content of blob % belongs to a file and cannot be deleted', OLD.blob_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN OLD;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER file_blob_chunks_kept BEFORE UPDATE OR DELETE ON file_blob_chunks
  FOR EACH ROW EXECUTE FUNCTION release_desk_blob_chunk_kept();
--> statement-breakpoint
CREATE TRIGGER file_blobs_no_truncate BEFORE TRUNCATE ON file_blobs
  FOR EACH STATEMENT EXECUTE FUNCTION release_desk_reject_change();
--> statement-breakpoint
CREATE TRIGGER file_blob_chunks_no_truncate BEFORE TRUNCATE ON file_blob_chunks
  FOR EACH STATEMENT EXECUTE FUNCTION release_desk_reject_change();
--> statement-breakpoint
-- A file's content never changes: once it names a blob, it names that blob forever. A row written
-- before blobs moves to one once (boot, documents/legacy-files.ts); files_blob_fk checks the blob's
-- practice, hash and size are the file's, files_content_check that the legacy columns are cleared.
CREATE OR REPLACE FUNCTION release_desk_file_blob_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.blob_id IS NOT NULL AND NEW.blob_id IS DISTINCT FROM OLD.blob_id THEN
    RAISE EXCEPTION 'rule SEC-4: a file''s content never changes (file %): upload a new file instead', OLD.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER files_blob_kept BEFORE UPDATE ON files
  FOR EACH ROW EXECUTE FUNCTION release_desk_file_blob_kept();
--> statement-breakpoint
-- rule REL-5 (0005, now with blobs): the file of a released packet keeps its content and is never
-- deleted. Its content is its blob (kept above); a packet released before blobs may only move its
-- content to a blob with the same hash and size (files_blob_fk), once.
CREATE OR REPLACE FUNCTION release_desk_packet_file_kept() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moving_to_blob boolean := TG_OP = 'UPDATE' AND OLD.blob_id IS NULL AND NEW.blob_id IS NOT NULL;
BEGIN
  IF EXISTS (SELECT 1 FROM packets p WHERE p.file_id = OLD.id AND p.status = 'released') AND (
    TG_OP = 'DELETE'
    OR (NOT moving_to_blob AND (
      NEW.ciphertext IS DISTINCT FROM OLD.ciphertext
      OR NEW.iv IS DISTINCT FROM OLD.iv
      OR NEW.auth_tag IS DISTINCT FROM OLD.auth_tag
      OR NEW.blob_id IS DISTINCT FROM OLD.blob_id))
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
