// A request's prepared documents: letters and reports from the practice's templates, and notes for a
// verbal discussion, with versions and the supervisor's review (issue 6, procedure step 4). Thin
// routes: parse -> command or query -> answer.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deliverable } from '../../../shared/request-kinds.js';
import {
  createDraftSchema,
  draftApproveSchema,
  draftChangesSchema,
  draftCommentSchema,
  draftsListView,
  draftView,
  saveDraftVersionSchema,
} from '../../../shared/schemas/drafts.js';
import { record } from '../../audit/record.js';
import { approveDraftVersion } from '../../commands/approve-draft-version.js';
import { commentDraftVersion } from '../../commands/comment-draft-version.js';
import { createDraft } from '../../commands/create-draft.js';
import { requestDraftChanges } from '../../commands/request-draft-changes.js';
import { saveDraftVersion } from '../../commands/save-draft-version.js';
import { submitDraftVersion } from '../../commands/submit-draft-version.js';
import { contentDisposition } from '../../documents/content.js';
import { enforceFileDecision, readFile } from '../../documents/storage.js';
import { gateDrafts, outstandingDocuments } from '../../drafts/gate.js';
import { templatesForRequest } from '../../drafts/practice-templates.js';
import { draftOf, loadDraftContext, presentDrafts, versionOf } from '../../drafts/queries.js';
import { draftLetter } from '../../drafts/render.js';
import { openVersion } from '../../drafts/seal.js';
import { requireActor, runAsActor } from '../../http/auth-context.js';
import { renderLetter } from '../../pdf/letter.js';
import { decideDraftView, draftAbilities } from '../../policies/drafts.js';
import { draftTemplatesRoutes } from './templates.js';

const TAG = 'drafts';
const errorView = z.looseObject({ error: z.string(), message: z.string() });
const errors = { 400: errorView, 403: errorView, 404: errorView, 409: errorView };
const requestParams = z.object({ requestId: z.uuid() });
const draftParams = z.object({ requestId: z.uuid(), draftId: z.uuid() });
const versionParams = z.object({ requestId: z.uuid(), draftId: z.uuid(), versionId: z.uuid() });
const base = '/api/requests/:requestId/drafts';
const version = `${base}/:draftId/versions/:versionId`;

export const draftsRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(draftTemplatesRoutes);

  app.get(
    base,
    {
      schema: {
        tags: [TAG],
        summary: 'The letters, reports and verbal-discussion notes of a request, their versions and comments',
        description:
          'Whoever may see the request (404 otherwise). Also the templates the request can start from, what ' +
          'the caller may do, and what the approval of what was prepared still waits for. Audited as a read.',
        params: requestParams,
        response: { 200: draftsListView, 404: errorView },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return runAsActor(req, async (ctx) => {
        const { loaded, reviewer } = await loadDraftContext(ctx, req.params.requestId);
        const { row } = loaded;
        enforceFileDecision(decideDraftView(actor, loaded.facts), row.id);
        const drafts = await presentDrafts(ctx, row);
        if (drafts.length > 0) {
          record(ctx, {
            type: 'draft.viewed',
            requestId: row.id,
            clientId: row.clientId,
            data: { draftIds: drafts.map((d) => d.id) },
          });
        }
        const deliverable = row.deliverable as Deliverable;
        return {
          drafts,
          templates: await templatesForRequest(ctx, row.practiceId, deliverable),
          abilities: draftAbilities(actor, loaded.facts, reviewer),
          outstanding: outstandingDocuments(deliverable, await gateDrafts(ctx, row)),
        };
      });
    },
  );

  app.post(
    base,
    {
      schema: {
        tags: [TAG],
        summary:
          'Start a letter, report or notes from a template (version 1, fields filled from the request)',
        description:
          'The holder of the preparation task, while the records are prepared. 409 for a template that does ' +
          'not fit the request (notes for a verbal discussion; letters and reports otherwise).',
        params: requestParams,
        body: createDraftSchema,
        response: { 201: draftView, ...errors },
      },
    },
    async (req, reply) => {
      const draft = await runAsActor(req, (ctx) => createDraft(ctx, req.params.requestId, req.body));
      return reply.code(201).send(draft);
    },
  );

  app.post(
    `${base}/:draftId/versions`,
    {
      schema: {
        tags: [TAG],
        summary: 'Save a new version (earlier versions never change)',
        description:
          'The holder of the preparation task. 409 while the latest version is with the supervisor.',
        params: draftParams,
        body: saveDraftVersionSchema,
        response: { 201: draftView, ...errors },
      },
    },
    async (req, reply) => {
      const { requestId, draftId } = req.params;
      const draft = await runAsActor(req, (ctx) => saveDraftVersion(ctx, requestId, draftId, req.body));
      return reply.code(201).send(draft);
    },
  );

  app.post(
    `${version}/submit`,
    {
      schema: {
        tags: [TAG],
        summary: 'Send the latest version to the supervisor for review (its words are kept as they are)',
        params: versionParams,
        response: { 200: draftView, ...errors },
      },
    },
    async (req) => {
      const { requestId, draftId, versionId } = req.params;
      return runAsActor(req, (ctx) => submitDraftVersion(ctx, requestId, draftId, versionId));
    },
  );

  app.post(
    `${version}/comments`,
    {
      schema: {
        tags: [TAG],
        summary: 'The supervisor comments on a version',
        params: versionParams,
        body: draftCommentSchema,
        response: { 201: draftView, ...errors },
      },
    },
    async (req, reply) => {
      const { requestId, draftId, versionId } = req.params;
      const draft = await runAsActor(req, (ctx) =>
        commentDraftVersion(ctx, requestId, draftId, versionId, req.body),
      );
      return reply.code(201).send(draft);
    },
  );

  app.post(
    `${version}/approval`,
    {
      schema: {
        tags: [TAG],
        summary: 'The supervisor approves the version sent for review',
        description:
          'A letter or report is rendered with the letterhead and stored as a prepared record (class ' +
          '"letters and reports"), in the same transaction; only this approved, current version can be released.',
        params: versionParams,
        body: draftApproveSchema,
        response: { 200: draftView, ...errors },
      },
    },
    async (req) => {
      const { requestId, draftId, versionId } = req.params;
      return runAsActor(req, (ctx) => approveDraftVersion(ctx, requestId, draftId, versionId, req.body));
    },
  );

  app.post(
    `${version}/changes`,
    {
      schema: {
        tags: [TAG],
        summary: 'The supervisor asks for changes to the version sent for review, saying why',
        params: versionParams,
        body: draftChangesSchema,
        response: { 200: draftView, ...errors },
      },
    },
    async (req) => {
      const { requestId, draftId, versionId } = req.params;
      return runAsActor(req, (ctx) => requestDraftChanges(ctx, requestId, draftId, versionId, req.body));
    },
  );

  app.get(
    `${version}/pdf`,
    {
      exposeHeadRoute: false,
      schema: {
        tags: [TAG],
        summary: 'A version as a PDF with the letterhead: the approved file, or a preview (audited)',
        description:
          'An approved letter or report is its stored file, read through the one audited read path of ' +
          'files; any other version is rendered as a preview, marked as such, and the read audited.',
        params: versionParams,
        response: {
          200: { description: 'The PDF', content: { 'application/pdf': { schema: z.file() } } },
          ...errors,
          500: errorView,
        },
      },
    },
    async (req, reply) => {
      const { requestId, draftId, versionId } = req.params;
      const actor = requireActor(req);
      const file = await runAsActor(req, async (ctx) => {
        const { loaded } = await loadDraftContext(ctx, requestId);
        const { row } = loaded;
        enforceFileDecision(decideDraftView(actor, loaded.facts), row.id);
        const draft = await draftOf(ctx, row, draftId);
        const { version: v } = await versionOf(ctx, draft, versionId);
        if (v.fileId) return readFile(ctx, requestId, v.fileId);
        const words = openVersion(ctx, v.id, v.contentSealed);
        const letter = await draftLetter(ctx, row, words);
        record(ctx, {
          type: 'draft.previewed',
          requestId: row.id,
          clientId: row.clientId,
          data: { draftId: draft.id, versionId: v.id, number: v.number },
        });
        // Approved notes for a verbal discussion are not a stored file: rendered as approved.
        const approved = v.state === 'approved';
        return {
          name: `${approved ? 'approved' : 'preview'}-v${v.number}-${row.number}.pdf`,
          contentType: 'application/pdf' as const,
          data: await renderLetter({
            ...letter,
            title: approved ? letter.title : `${letter.title} (PREVIEW: not approved)`,
          }),
        };
      });
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', contentDisposition(file.name))
        .header('cache-control', 'no-store')
        .send(file.data as unknown as File);
    },
  );
};

export default draftsRoutes;
