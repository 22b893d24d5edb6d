import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: [
    './src/server/db/schema.ts',
    './src/server/db/schema-rules.ts',
    './src/server/db/schema-accounting.ts',
    './src/server/db/schema-packets.ts',
    './src/server/db/schema-mail.ts',
    './src/server/db/schema-blobs.ts',
    './src/server/db/schema-drafts.ts',
    './src/server/db/schema-payments.ts',
    './src/server/db/schema-portal-intake.ts',
    './src/server/db/schema-portal.ts',
    './src/server/db/schema-rate-limits.ts',
  ],
  out: './migrations',
});
