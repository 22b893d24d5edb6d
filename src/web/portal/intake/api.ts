// The form's calls: the practice, a solved challenge, the emailed code, and the submission
// (multipart: the answers as JSON beside the documents). JSON calls go through the shell's client;
// the multipart one is here, with the same error shape (PortalError with a plain message).
import type {
  IntakePractice,
  IntakeReceipt,
  IntakeSubmissionInput,
  PowChallenge,
  PowSolution,
} from '../../../shared/schemas/portal-intake';
import { getJson, PortalError, postJson } from '../api';
import type { Files } from './flow';
import { solvePow } from './pow';

export const fetchPractice = (practice: string | null) =>
  getJson<IntakePractice>(
    `/api/portal/intake/practice${practice ? `?practice=${encodeURIComponent(practice)}` : ''}`,
  );

/** A fresh challenge, solved; with how long solving took (shown nowhere, measured by the e2e run). */
export async function solvedChallenge(): Promise<PowSolution & { ms: number }> {
  const c = await postJson<PowChallenge>('/api/portal/intake/challenge');
  const started = performance.now();
  const solved = await solvePow(c);
  return { ...solved, ms: Math.round(performance.now() - started) };
}

export const askCode = (body: {
  practiceId: string;
  email: string;
  language: 'en' | 'es';
  website: string;
  pow: PowSolution;
}) => postJson<{ expiresInMinutes: number }>('/api/portal/intake/code', body);

export async function sendRequest(
  body: IntakeSubmissionInput,
  files: Files,
  fallback: { network: string; server: string; tooMany: string },
): Promise<IntakeReceipt> {
  const form = new FormData();
  form.append('submission', JSON.stringify(body));
  for (const [field, file] of Object.entries(files)) if (file) form.append(field, file, file.name);
  let res: Response;
  try {
    res = await fetch('/api/portal/intake', {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new PortalError(0, 'network', fallback.network);
  }
  if (res.ok) return (await res.json()) as IntakeReceipt;
  const parsed = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
  const message =
    res.status === 429
      ? fallback.tooMany
      : res.status >= 500
        ? fallback.server
        : (parsed.message ?? fallback.server);
  throw new PortalError(res.status, parsed.error ?? 'error', message);
}
