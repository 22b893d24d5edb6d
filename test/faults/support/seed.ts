// Seeding a spawned app's database before (or checking it after) a fault run: boot the same
// configuration in this process (the same data directory or DATABASE_URL, the same keys), run the
// test's factories against it, and close. With the embedded PostgreSQL this starts and stops the
// app's own server, so do it while the app process is not running.
import { randomBytes } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { boot, type Running } from '../../../src/server/boot.js';
import { loadConfig } from '../../../src/server/config.js';
import type { TestApp } from '../../support/app.js';
import type { AppProcess } from './launcher.js';

/** The factories (test/support/factories.ts) need only the database and the master key. */
export type SeedTarget = Pick<TestApp, 'running' | 'config'>;

export async function withBootedApp<T>(app: AppProcess, fn: (t: SeedTarget) => Promise<T>): Promise<T> {
  const config = loadConfig({ ...app.env, LOG_LEVEL: 'silent' });
  const running: Running = await boot(config, { log: () => {}, jobMaintenance: false });
  try {
    return await fn({ running, config });
  } finally {
    await running.close();
  }
}

/** The factories take a TestApp; they only touch `running` and `config`. */
export const asTestApp = (t: SeedTarget): TestApp => t as TestApp;

/**
 * A one-page PDF saying `title`, padded with `padBytes` of random bytes as an attachment (random, so
 * it does not compress): a file of more than 1 MiB is stored as several blob chunks.
 */
export async function paddedPdf(title: string, padBytes = 0): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([612, 792]).drawText(title, { x: 72, y: 700, size: 14, font });
  if (padBytes > 0) {
    await doc.attach(randomBytes(padBytes), 'scan.bin', { mimeType: 'application/octet-stream' });
  }
  return Buffer.from(await doc.save());
}
