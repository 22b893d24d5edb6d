// The stages of a request (issue 2, "The workflow"): the five of the procedure, plus the ends.
// The transition table that moves between them is in workflow.ts.

export const STAGES = [
  'request_made',
  'client_review',
  'invoice',
  'preparation',
  'released',
  'denied',
  'no_records',
  'withdrawn',
  'cancelled',
] as const;

export type Stage = (typeof STAGES)[number];

/** The five stages of the procedure, in order (the UI's stepper). */
export const PROCEDURE_STAGES = [
  'request_made',
  'client_review',
  'invoice',
  'preparation',
  'released',
] as const;

export type ProcedureStage = (typeof PROCEDURE_STAGES)[number];

/** Stages where work remains. */
export const OPEN_STAGES = ['request_made', 'client_review', 'invoice', 'preparation'] as const;

export type OpenStage = (typeof OPEN_STAGES)[number];

/** Stages where the request rests: released, and the four ends (denied can be reopened, REV-4). */
export const END_STAGES = ['released', 'denied', 'no_records', 'withdrawn', 'cancelled'] as const;

export type EndStage = (typeof END_STAGES)[number];

export function isEndStage(stage: Stage): stage is EndStage {
  return (END_STAGES as readonly Stage[]).includes(stage);
}

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

export const STAGE_LABELS: Readonly<Record<Stage, string>> = {
  request_made: 'Request made',
  client_review: 'Client review',
  invoice: 'Invoice',
  preparation: 'Preparation',
  released: 'Released',
  denied: 'Denied',
  no_records: 'No records held',
  withdrawn: 'Withdrawn',
  cancelled: 'Cancelled',
};
