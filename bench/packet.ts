// Packet assembly (issue 6): the time to assemble a 500-page packet from 50 ten-page PDFs (cover
// letter, every page copied and stamped with header, "Page N of M" and notices, then saved) beside
// qpdf merging the same 50 files (`qpdf --empty --pages … -- out.pdf`, no stamps) in the same run.
// Both read the files from disk; ours also renders the cover letter and hashes the result.
// `tsx bench/packet.ts` runs it alone; npm run bench runs it as a phase.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { CONFIDENTIALITY_NOTICE, coverLetter } from '../src/server/packets/cover-letter.js';
import { renderPacket } from '../src/server/packets/render.js';
import { renderLetter } from '../src/server/pdf/letter.js';

const run = promisify(execFile);

export interface PacketFigures {
  files: number;
  pages: number;
  /** Median of the runs, in ms. */
  oursMs: number;
  qpdfMs: number;
  ratio: number;
  oursBytes: number;
  qpdfBytes: number;
  inputBytes: number;
  runs: number;
}

async function sourcePdf(n: number, pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 1; p <= pages; p++) {
    const page = doc.addPage([612, 792]);
    page.drawText(`Progress note ${n}, page ${p}`, { x: 72, y: 720, size: 14, font });
    for (let l = 0; l < 40; l++) {
      page.drawText(`Line ${l + 1}: session content that a record would hold, written out at length.`, {
        x: 72,
        y: 690 - l * 15,
        size: 10,
        font,
      });
    }
  }
  return doc.save();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function measurePacket(
  log: (m: string) => void,
  opts: { files?: number; pagesEach?: number; runs?: number } = {},
): Promise<PacketFigures> {
  const files = opts.files ?? 50;
  const pagesEach = opts.pagesEach ?? 10;
  const runs = opts.runs ?? 3;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rd-bench-packet-'));
  try {
    const paths: string[] = [];
    for (let i = 1; i <= files; i++) {
      const p = path.join(dir, `record-${String(i).padStart(2, '0')}.pdf`);
      writeFileSync(p, await sourcePdf(i, pagesEach));
      paths.push(p);
    }
    const inputBytes = paths.reduce((a, p) => a + statSync(p).size, 0);
    log(`  ${files} PDFs of ${pagesEach} pages written (${(inputBytes / 1e6).toFixed(1)} MB)`);
    const documents = paths.map((p) => ({
      name: path.basename(p),
      documentClass: 'progress_notes',
      dateFrom: '2026-01-01',
      dateTo: '2026-06-30',
    }));
    const ours: number[] = [];
    const qpdf: number[] = [];
    let oursBytes = 0;
    let pages = 0;
    for (let r = 0; r < runs; r++) {
      let t0 = performance.now();
      const sources = paths.map((p) => ({
        name: path.basename(p),
        contentType: 'application/pdf',
        data: readFileSync(p),
        part2: false,
      }));
      const packet = await renderPacket({
        coverLetter: (perSource) =>
          renderLetter(
            coverLetter(
              {
                practice: {
                  name: 'Riverbend Counseling',
                  privacyOfficer: 'Dana Lee',
                  phone: null,
                  email: null,
                },
                request: {
                  number: 'R-2027-0001',
                  kind: 'client_access',
                  receivedOn: '2027-02-20',
                  purpose: 'Personal use',
                },
                client: { name: 'Ngọc Trần' },
                recipient: { name: 'Ngọc Trần', organization: null, address: null },
                version: 1,
                today: '2027-03-01',
                documents,
                part2: null,
                createdAt: new Date(0),
              },
              perSource,
            ),
          ),
        sources,
        stamp: {
          reference: 'R-2027-0001',
          recipient: 'Ngọc Trần',
          confidentiality: CONFIDENTIALITY_NOTICE,
          part2Short: null,
        },
        title: 'Release of records R-2027-0001',
        author: 'Riverbend Counseling',
        createdAt: new Date(0),
      });
      createHash('sha256').update(packet.pdf).digest('hex');
      ours.push(performance.now() - t0);
      oursBytes = packet.pdf.length;
      pages = packet.pageCount;

      const out = path.join(dir, `qpdf-${r}.pdf`);
      t0 = performance.now();
      await run('qpdf', ['--empty', '--pages', ...paths, '--', out]);
      qpdf.push(performance.now() - t0);
      log(
        `  run ${r + 1}: ours ${ours.at(-1)!.toFixed(0)} ms (${pages} pages), qpdf ${qpdf.at(-1)!.toFixed(0)} ms`,
      );
    }
    const qpdfBytes = statSync(path.join(dir, `qpdf-${runs - 1}.pdf`)).size;
    const oursMs = median(ours);
    const qpdfMs = median(qpdf);
    return { files, pages, oursMs, qpdfMs, ratio: oursMs / qpdfMs, oursBytes, qpdfBytes, inputBytes, runs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function packetSummary(f: PacketFigures): string {
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  return [
    `Packet assembly: ${f.pages} pages from ${f.files} PDFs (median of ${f.runs} runs, same files, same run)`,
    `  (a) Release Desk renderPacket (cover letter, copy, stamp every page, save, SHA-256): ${f.oursMs.toFixed(0)} ms, ${mb(f.oursBytes)}`,
    `  (b) qpdf --empty --pages … -- out.pdf (merge only, no stamps):                    ${f.qpdfMs.toFixed(0)} ms, ${mb(f.qpdfBytes)}`,
    `  (a)/(b) = ${f.ratio.toFixed(1)}x   (inputs ${mb(f.inputBytes)})`,
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const figures = await measurePacket((m) => console.log(m));
  console.log(packetSummary(figures));
}
