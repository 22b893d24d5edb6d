// The real PDF tools (Debian's qpdf and poppler-utils) check what Release Desk writes: qpdf for the
// file's structure, pdftotext for the words a reader (or a screen reader) gets out of it. A missing
// tool fails the test with the line that installs it; it never skips.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function withTempPdf<T>(data: Uint8Array, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'rd-pdf-'));
  try {
    const path = join(dir, 'doc.pdf');
    await writeFile(path, data);
    return await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function missingTool(tool: string, pkg: string, error: unknown): never {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(`${tool} is not installed: run "apt-get install ${pkg}" (CI installs it in .ci/run).`);
  }
  throw error;
}

/** `qpdf --check`: resolves with its report when the file is sound, rejects otherwise. */
export async function qpdfCheck(data: Uint8Array): Promise<string> {
  return withTempPdf(data, async (path) => {
    try {
      const { stdout } = await run('qpdf', ['--check', path]);
      return stdout;
    } catch (error) {
      return missingTool('qpdf', 'qpdf', error);
    }
  });
}

/** The text of the PDF in reading order (`pdftotext -layout`), pages separated by form feeds. */
export async function pdfText(data: Uint8Array): Promise<string> {
  return withTempPdf(data, async (path) => {
    try {
      const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-']);
      return stdout;
    } catch (error) {
      return missingTool('pdftotext', 'poppler-utils', error);
    }
  });
}

/** Number of pages, from `qpdf --show-npages`. */
export async function pdfPageCount(data: Uint8Array): Promise<number> {
  return withTempPdf(data, async (path) => {
    try {
      const { stdout } = await run('qpdf', ['--show-npages', path]);
      return Number(stdout.trim());
    } catch (error) {
      return missingTool('qpdf', 'qpdf', error);
    }
  });
}
