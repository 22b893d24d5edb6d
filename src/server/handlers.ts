// Wiring: which domain handler runs each queue's jobs.
import { clocksSweepJob } from './clocks/sweep.js';
import type { HandlerMap } from './jobs/worker.js';
import { sendEmailJob } from './mail/send.js';
import { assemblePacketJob } from './packets/assemble.js';
import { postInstructions } from './threads/instructions.js';

export const JOB_HANDLERS: HandlerMap = {
  'thread.post-instructions': postInstructions,
  'clocks.sweep': clocksSweepJob,
  'packet.assemble': assemblePacketJob,
  'mail.send': sendEmailJob,
};
