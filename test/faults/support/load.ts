// A write load through the HTTP API (intakes, a transition, uploads, messages) by several workers,
// keeping a ledger of every write the API acknowledged (2xx) and a histogram of every answer, so a
// fault test can check afterwards that each acknowledged write is there, whole.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { intakeBody } from '../../support/requests.js';
import type { HttpAgent, HttpResult } from './http.js';
import { paddedPdf } from './seed.js';

export interface AckedFile {
  id: string;
  requestId: string;
  sha256: string;
  size: number;
}

export interface Ledger {
  requests: string[];
  /** Requests whose intake check (the transition out of request_made) was acknowledged. */
  intakes: string[];
  files: AckedFile[];
  /** Requester-thread messages by their unique body, with their request. */
  messages: { requestId: string; body: string }[];
  /** Answers by status ("0" = no answer: refused or reset while the app was down). */
  statuses: Record<string, number>;
  /** Answers of 5xx, with their bodies (the first few of each status), to show what a failure said. */
  failures: { status: number; body: unknown; op: string }[];
}

export function newLedger(): Ledger {
  return { requests: [], intakes: [], files: [], messages: [], statuses: {}, failures: [] };
}

export interface LoadOptions {
  agent: HttpAgent;
  clientIds: string[];
  workers: number;
  /** Share of uploads padded past 1 MiB (several blob chunks). */
  bigUploadShare?: number;
  /** Uploads reuse an earlier file's bytes this often (a blob shared by two files). */
  repeatUploadShare?: number;
}

export interface Load {
  ledger: Ledger;
  /** Stop after the current operations and wait for the workers. */
  stop(): Promise<void>;
}

type Op = 'intake' | 'transition' | 'upload' | 'message';

export function startLoad(opts: LoadOptions): Load {
  const ledger = newLedger();
  const pending = new Set<string>(); // acknowledged requests still at request_made (as far as we know)
  const pdfs: Buffer[] = [];
  let stopped = false;

  const count = (op: string, res: HttpResult) => {
    const key = String(res.status);
    ledger.statuses[key] = (ledger.statuses[key] ?? 0) + 1;
    if (res.status >= 500 && ledger.failures.filter((f) => f.status === res.status).length < 5) {
      ledger.failures.push({ status: res.status, body: res.body, op });
    }
  };
  const ok = (res: HttpResult) => res.status >= 200 && res.status < 300;
  const pickRequest = () => ledger.requests[randomInt(ledger.requests.length)]!;

  const ops: Record<Op, () => Promise<void>> = {
    async intake() {
      const clientId = opts.clientIds[randomInt(opts.clientIds.length)]!;
      const res = await opts.agent.post('/api/requests', intakeBody(clientId));
      count('intake', res);
      if (ok(res)) {
        const id = (res.body as { id: string }).id;
        ledger.requests.push(id);
        pending.add(id);
      }
    },
    async transition() {
      const id = [...pending][0];
      if (!id) return ops.intake();
      pending.delete(id);
      const res = await opts.agent.post(`/api/requests/${id}/intake`, {
        verification: { method: 'Phone call, date of birth confirmed' },
      });
      count('transition', res);
      if (ok(res)) ledger.intakes.push(id);
      // No answer: it may or may not have committed; the request may be offered again (a 409 then).
      if (res.status === 0 || res.status >= 500) pending.add(id);
    },
    async upload() {
      if (ledger.requests.length === 0) return ops.intake();
      const requestId = pickRequest();
      let data: Buffer;
      if (pdfs.length > 0 && Math.random() < (opts.repeatUploadShare ?? 0.15)) {
        data = pdfs[randomInt(pdfs.length)]!;
      } else {
        const big = Math.random() < (opts.bigUploadShare ?? 0.2);
        data = await paddedPdf(
          `Progress note ${randomBytes(6).toString('hex')}`,
          big ? 1_200_000 + randomInt(900_000) : randomInt(4000),
        );
        pdfs.push(data);
      }
      const res = await opts.agent.upload(requestId, { filename: 'note.pdf', data });
      count('upload', res);
      if (ok(res)) {
        const body = res.body as { id: string; size: number; sha256: string };
        const sha256 = createHash('sha256').update(data).digest('hex');
        ledger.files.push({ id: body.id, requestId, sha256, size: data.length });
        if (body.sha256 !== sha256) throw new Error(`upload answered sha256 ${body.sha256}, sent ${sha256}`);
      }
    },
    async message() {
      if (ledger.requests.length === 0) return ops.intake();
      const requestId = pickRequest();
      const body = `Your copy is being prepared (ref ${randomBytes(8).toString('hex')}).`;
      const res = await opts.agent.post(`/api/requests/${requestId}/messages`, { thread: 'requester', body });
      count('message', res);
      if (ok(res)) ledger.messages.push({ requestId, body });
    },
  };
  const weights: [Op, number][] = [
    ['intake', 3],
    ['transition', 2],
    ['upload', 3],
    ['message', 2],
  ];
  const total = weights.reduce((s, [, w]) => s + w, 0);
  const pick = (): Op => {
    let r = randomInt(total);
    for (const [op, w] of weights) {
      if (r < w) return op;
      r -= w;
    }
    return 'intake';
  };

  const worker = async () => {
    while (!stopped) {
      const before = ledger.statuses['0'] ?? 0;
      await ops[pick()]();
      // The app is down: do not spin on refused connections.
      if ((ledger.statuses['0'] ?? 0) > before) await new Promise((r) => setTimeout(r, 200));
    }
  };
  const running = Array.from({ length: opts.workers }, () => worker());
  return {
    ledger,
    async stop() {
      stopped = true;
      await Promise.all(running);
    },
  };
}
