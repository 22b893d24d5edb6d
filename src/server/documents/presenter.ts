// What the API shows of a request's files: metadata only (never key material or content), and the
// caller's abilities for the request's files (convention 2: the UI shows buttons from these).

import { canDownloadFiles, canUploadFiles } from '../policies/documents.js';
import type { Actor, RequestFacts } from '../policies/facts.js';
import type { FileMeta } from './storage.js';

export type FileAbility = 'upload_file' | 'download_file';

export function presentFile(file: FileMeta) {
  return {
    id: file.id,
    requestId: file.requestId,
    name: file.name,
    contentType: file.contentType,
    size: file.size,
    sha256: file.sha256,
    purpose: file.purpose,
    documentClass: file.documentClass,
    dateFrom: file.dateFrom,
    dateTo: file.dateTo,
    uploadedBy: file.uploadedBy,
    createdAt: file.createdAt.toISOString(),
  };
}

export function fileAbilities(actor: Actor, facts: RequestFacts): FileAbility[] {
  const out: FileAbility[] = [];
  if (canUploadFiles(actor, facts)) out.push('upload_file');
  if (canDownloadFiles(actor, facts)) out.push('download_file');
  return out;
}
