// Wiring: which domain handler runs each queue's jobs.
import type { HandlerMap } from './jobs/worker.js';
import { postInstructions } from './threads/instructions.js';

export const JOB_HANDLERS: HandlerMap = {
  'thread.post-instructions': postInstructions,
};
