// The demo's documents and packets (issue 6 "Demo"): small made-up PDFs (notes, a letter, a Part 2
// assessment, a psychotherapy note) written with the practice's own letter renderer, uploaded through
// the upload command with their class and dates (SCOPE-3); packets asked for through the assembly
// command and assembled by the real job; links sent through the link command. Everything here is
// invented: no real person, no real record.

import { and, desc, eq } from 'drizzle-orm';
import type pg from 'pg';
import type { DocumentClass } from '../../shared/request-kinds.js';
import { assemblePacket } from '../commands/assemble-packet.js';
import { createDeliveryLink } from '../commands/create-delivery-link.js';
import { uploadFile } from '../commands/upload-file.js';
import type { Ctx, Services } from '../context.js';
import { drizzleOn } from '../db/connect.js';
import { requests } from '../db/schema.js';
import { packets } from '../db/schema-packets.js';
import type { FilePurpose } from '../documents/vocabulary.js';
import { assemblePacketJob } from '../packets/assemble.js';
import { type LetterBlock, renderLetter } from '../pdf/letter.js';
import { DEMO_PRACTICE } from './accounts.js';
import type { Act } from './actions.js';

export interface DemoDocument {
  /** The file name as uploaded. */
  name: string;
  title: string;
  purpose?: FilePurpose;
  documentClass: DocumentClass;
  /** The dates the document covers (YYYY-MM-DD). */
  dateFrom: string;
  dateTo: string;
  blocks: LetterBlock[];
}

const MADE_UP = 'Made-up demo document: no real person and no real record.';

/** Render a demo document on the practice's letterhead (the same input gives the same bytes). */
async function render(ctx: Ctx, requestId: string, doc: DemoDocument): Promise<Buffer> {
  const [row] = await ctx.tx
    .select({ number: requests.number })
    .from(requests)
    .where(eq(requests.id, requestId));
  const date = new Date(`${doc.dateTo}T12:00:00Z`);
  return renderLetter({
    letterhead: {
      practiceName: DEMO_PRACTICE.name,
      lines: ['100 River Street, Sacramento, CA 95814', '(555) 010-0100'],
    },
    reference: row?.number ?? 'demo',
    date: date.toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }),
    title: doc.title,
    blocks: doc.blocks,
    footerNotice: MADE_UP,
    createdAt: date,
  });
}

/** Upload a made-up document to the request, as the acting person, through the upload command. */
export const addDocument =
  (doc: DemoDocument): Act =>
  async (ctx, id) =>
    uploadFile(ctx, {
      requestId: id,
      upload: {
        ok: true,
        file: { name: doc.name, data: await render(ctx, id, doc) },
        purpose: doc.purpose ?? 'record',
        documentClass: doc.documentClass,
        dateFrom: doc.dateFrom,
        dateTo: doc.dateTo,
      },
    });

/**
 * The services of the seed's own connection: the job's "transactions" become savepoints of the
 * seed's transaction, and its clock is the step's. So the real assembly job runs inside the seed,
 * and a crash still leaves nothing half-seeded.
 */
function seedServices(ctx: Ctx): Services {
  const client = ctx.client;
  const SAVEPOINTS: Record<string, string> = {
    begin: 'savepoint demo_job',
    commit: 'release savepoint demo_job',
    rollback: 'rollback to savepoint demo_job',
  };
  const inner = new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'release') return () => undefined;
      if (prop === 'query') {
        return (text: unknown, ...rest: unknown[]) =>
          typeof text === 'string' && SAVEPOINTS[text]
            ? target.query(SAVEPOINTS[text])
            : (target.query as (...a: unknown[]) => unknown)(text, ...rest);
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as pg.PoolClient;
  const pool = { connect: async () => inner } as unknown as pg.Pool;
  return {
    ...ctx.services,
    now: () => ctx.now,
    database: { ...ctx.services.database, pool, db: drizzleOn(inner) },
  };
}

/** Ask for a packet (the assembly command) and let the real job assemble it there and then. */
export const assembleNow: Act = async (ctx, id) => {
  const packet = await assemblePacket(ctx, id, {});
  await assemblePacketJob(seedServices(ctx), { packetId: packet.id, practiceId: ctx.practiceId });
  const [done] = await ctx.tx.select().from(packets).where(eq(packets.id, packet.id));
  if (done?.status !== 'ready') {
    throw new Error(`demo seed: the packet was not assembled (${done?.status}: ${done?.problem ?? ''})`);
  }
  return done;
};

/** Send a secure link to the request's latest packet (the link command: two thread messages). */
export const sendLink: Act = async (ctx, id) => {
  const [latest] = await ctx.tx
    .select({ id: packets.id })
    .from(packets)
    .where(and(eq(packets.requestId, id)))
    .orderBy(desc(packets.version))
    .limit(1);
  if (!latest) throw new Error('demo seed: no packet to send a link to');
  return createDeliveryLink(ctx, id, latest.id, {});
};

const note = (date: string, lines: string[]): LetterBlock[] => [
  {
    type: 'fields',
    rows: [
      ['Session date', date],
      ['Length', '50 minutes'],
    ],
  },
  ...lines.map((text): LetterBlock => ({ type: 'paragraph', text })),
];

/** The demo's documents, dated within the year before `year` and this one. */
export function demoDocuments(year: number) {
  const last = year - 1;
  return {
    jordanNotes: {
      name: `progress-notes-${last}.pdf`,
      title: 'Progress notes',
      documentClass: 'progress_notes',
      dateFrom: `${last}-02-03`,
      dateTo: `${last}-11-17`,
      blocks: [
        ...note(`${last}-02-03`, [
          'Client attended on time. Reviewed the week; practised the breathing exercise together.',
          'Plan: continue weekly sessions; try the exercise before work each morning.',
        ]),
        ...note(`${last}-11-17`, [
          'Client reports the move to Portland is confirmed. Discussed a referral and a copy of the records.',
        ]),
      ],
    },
    jordanPlan: {
      name: `treatment-plan-${last}.pdf`,
      title: 'Treatment plan',
      documentClass: 'treatment_plans',
      dateFrom: `${last}-01-20`,
      dateTo: `${last}-01-20`,
      blocks: [
        { type: 'heading', text: 'Goals' },
        {
          type: 'list',
          items: ['Sleep through most nights', 'Return to the running club', 'Fewer missed workdays'],
        },
        { type: 'paragraph', text: 'Weekly sessions for twelve weeks, then review.' },
      ],
    },
    sofiaNotes: {
      name: `progress-notes-${year}.pdf`,
      title: 'Progress notes',
      documentClass: 'progress_notes',
      dateFrom: `${last}-09-08`,
      dateTo: `${last}-12-15`,
      blocks: note(`${last}-12-15`, [
        'Client describes steady progress at work. Reviewed the relapse-prevention plan.',
        'Plan: fortnightly sessions from January.',
      ]),
    },
    sofiaPart2: {
      name: 'substance-use-assessment.pdf',
      title: 'Substance use assessment (42 CFR Part 2)',
      documentClass: 'part2',
      dateFrom: `${last}-09-01`,
      dateTo: `${last}-09-01`,
      blocks: [
        {
          type: 'fields',
          rows: [
            ['Program', 'Riverbend outpatient program'],
            ['Assessment', 'Intake'],
          ],
        },
        {
          type: 'paragraph',
          text: 'Made-up assessment from the practice’s substance use program: protected by 42 CFR Part 2.',
        },
      ],
    },
    thomasPsychotherapy: {
      name: 'psychotherapy-note.pdf',
      title: 'Psychotherapy note (kept separate)',
      documentClass: 'psychotherapy_notes',
      dateFrom: `${last}-10-06`,
      dateTo: `${last}-10-06`,
      blocks: [
        {
          type: 'paragraph',
          text: 'The therapist’s own process notes, kept apart from the record (HIPAA psychotherapy notes).',
        },
      ],
    },
  } satisfies Record<string, DemoDocument>;
}
