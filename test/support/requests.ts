// Building requests through the real API, and running queued jobs, for workflow tests.
import { JOB_HANDLERS } from '../../src/server/handlers.js';
import { drainJobs } from '../../src/server/jobs/worker.js';
import type { TestApp } from './app.js';
import type { Agent } from './session.js';

export function intakeBody(clientId: string, overrides: Record<string, unknown> = {}) {
  return {
    kind: 'client_access',
    clientId,
    requester: { name: 'Alex Client', email: 'alex@example.test' },
    documentClasses: ['progress_notes', 'treatment_plans'],
    dateFrom: '2025-01-01',
    dateTo: '2026-06-30',
    purpose: 'Personal use',
    deliverable: 'copy',
    deliveryFormat: 'secure_download',
    receivedAt: new Date().toISOString(),
    channel: 'email',
    ...overrides,
  };
}

export async function createRequestAs(
  support: Agent,
  clientId: string,
  overrides: Record<string, unknown> = {},
) {
  const res = await support.post('/api/requests', intakeBody(clientId, overrides));
  if (res.statusCode !== 201) throw new Error(`create request answered ${res.statusCode}: ${res.body}`);
  return res.json() as RequestDetails;
}

export async function runJobs(t: TestApp): Promise<number> {
  return drainJobs(t.running.services, JOB_HANDLERS);
}

export interface TaskView {
  id: string;
  type: string;
  state: string;
  assignee: { id: string; name: string } | null;
  assigneeRole: string | null;
  dueAt: string;
  abilities: string[];
  result: Record<string, unknown> | null;
}

export interface RequestDetails {
  id: string;
  number: string;
  kind: string;
  stage: string;
  status: string;
  abilities: string[];
  clocks: {
    legal: { dueAt: string; basis: string; daysLeft: number | null };
    step: { taskId: string; dueAt: string } | null;
  };
  tasks: TaskView[];
  thread: { thread: string; kind: string; subject: string; body: string; author: { name: string } | null }[];
  disclosure: Record<string, unknown> | null;
  invoice: Record<string, unknown> | null;
  history: { type: string; actorName: string | null; data: Record<string, unknown> }[];
  end: { reason: string | null; letter: string | null } | null;
  approvedScope: Record<string, unknown> | null;
}

export function openTasks(r: RequestDetails): TaskView[] {
  return r.tasks.filter((t) => t.state === 'open' || t.state === 'waiting_on_requester');
}
