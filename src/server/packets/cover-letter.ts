// The packet's cover letter (rendered by pdf/letter.ts's renderLetter): who it is for, what is
// enclosed, and, when Part 2 material is included, the 42 CFR 2.32 notice and an explanation of the
// consent it is disclosed under (PART2-1). Pure: facts in, a LetterInput out.
import {
  DOCUMENT_CLASS_LABELS,
  type DocumentClass,
  KIND_LABELS,
  type RequestKind,
} from '../../shared/request-kinds.js';
import { formatLocalDate, type LocalDate } from '../../shared/time.js';
import { ENGLISH_ON_REQUEST_ES, type LetterLanguage, SPANISH_PAGE_WORDS } from '../letters/letterhead.js';
import { DOCUMENT_CLASS_LABELS_ES, longDateEs } from '../letters/letterhead-es.js';
import type { LetterBlock, LetterInput } from '../pdf/letter.js';

export const CONFIDENTIALITY_NOTICE =
  'CONFIDENTIAL: health information released at the request, or with the written authorization, on file. ' +
  'Do not redisclose it except as the law permits. If you received this in error, tell the practice and destroy it.';

export interface CoverFacts {
  practice: { name: string; privacyOfficer: string | null; phone: string | null; email: string | null };
  request: { number: string; kind: RequestKind; receivedOn: LocalDate; purpose: string | null };
  client: { name: string };
  recipient: { name: string; organization: string | null; address: string | null };
  version: number;
  today: LocalDate;
  documents: { name: string; documentClass: string | null; dateFrom: string | null; dateTo: string | null }[];
  /** PART2-1: the 42 CFR 2.32 notice and the consent, when Part 2 material is included. */
  part2: { notice: string; consent: string } | null;
  createdAt: Date;
  /** Issue 7: the request's language; 'es' writes the cover letter in Spanish. */
  language?: LetterLanguage;
}

const dates = (from: string | null, to: string | null) =>
  from || to ? `${from ?? 'start'} to ${to ?? 'latest'}` : '—';

export function coverLetter(f: CoverFacts, pagesPerSource: number[]): LetterInput {
  if (f.language === 'es') return coverLetterEs(f, pagesPerSource);
  const recipient = [f.recipient.name, f.recipient.organization, ...(f.recipient.address ?? '').split('\n')]
    .map((l) => (l ?? '').trim())
    .filter(Boolean);
  const blocks: LetterBlock[] = [
    {
      type: 'paragraph',
      text: `Enclosed are the records released in answer to request ${f.request.number}, received ${formatLocalDate(f.request.receivedOn)} ${f.request.receivedOn.slice(0, 4)}.`,
    },
    {
      type: 'fields',
      rows: [
        ['Request', f.request.number],
        ['Client', f.client.name],
        ['Released to', [f.recipient.name, f.recipient.organization].filter(Boolean).join(', ')],
        ['Kind of request', KIND_LABELS[f.request.kind]],
        ['Purpose', f.request.purpose ?? 'At the request of the individual'],
        ['Packet', `Version ${f.version}, ${f.today}`],
      ],
    },
    { type: 'heading', text: 'What is enclosed' },
    {
      type: 'table',
      columns: ['#', 'Document', 'Kind', 'Dates', 'Pages'],
      widths: [0.4, 3, 1.8, 2, 0.7],
      rows: f.documents.map((d, i) => [
        String(i + 1),
        d.name,
        d.documentClass ? (DOCUMENT_CLASS_LABELS[d.documentClass as DocumentClass] ?? d.documentClass) : '—',
        dates(d.dateFrom, d.dateTo),
        String(pagesPerSource[i] ?? ''),
      ]),
      empty: 'No documents.',
    },
  ];
  if (f.part2) {
    blocks.push(
      { type: 'heading', text: 'Notice: 42 CFR part 2 (substance use disorder records)' },
      { type: 'paragraph', text: f.part2.notice },
      { type: 'heading', text: 'The consent these records are disclosed under' },
      { type: 'paragraph', text: f.part2.consent },
    );
  }
  blocks.push(
    { type: 'heading', text: 'Confidentiality' },
    { type: 'paragraph', text: CONFIDENTIALITY_NOTICE },
  );
  const contact = [f.practice.privacyOfficer, f.practice.phone, f.practice.email].filter(Boolean).join(' · ');
  return {
    letterhead: { practiceName: f.practice.name, lines: contact ? [`Privacy officer: ${contact}`] : [] },
    reference: f.request.number,
    date: `${formatLocalDate(f.today)} ${f.today.slice(0, 4)}`,
    recipient,
    title: 'Release of records',
    blocks,
    footerNotice: CONFIDENTIALITY_NOTICE,
    createdAt: f.createdAt,
  };
}

export const CONFIDENTIALITY_NOTICE_ES =
  'CONFIDENCIAL: información de salud entregada a petición de la persona, o con la autorización por escrito que consta en el expediente. ' +
  'No la divulgue de nuevo salvo en lo que la ley permite. Si la recibió por error, avise a la consulta y destrúyala.';

const KIND_LABELS_ES: Readonly<Record<RequestKind, string>> = {
  client_access: 'El cliente pide sus propios expedientes',
  client_directed: 'El cliente pide que se envíe una copia a otra persona',
  authorization: 'Un tercero con la autorización del cliente',
  subpoena: 'Citación judicial (subpoena)',
  court_order: 'Orden judicial',
  representative: 'Padre, madre, tutor u otro representante',
  provider_continuity: 'Otro proveedor, para el tratamiento',
  other_legal: 'Otro requisito legal',
};

const datesEs = (from: string | null, to: string | null) =>
  from || to ? `${from ?? 'inicio'} a ${to ?? 'lo más reciente'}` : '—';

/** The cover letter in Spanish (PART2-1's notice and consent stay in the words given). */
function coverLetterEs(f: CoverFacts, pagesPerSource: number[]): LetterInput {
  const english = coverLetter({ ...f, language: 'en' }, pagesPerSource);
  const blocks: LetterBlock[] = [
    {
      type: 'paragraph',
      text: `Adjuntamos los expedientes entregados en respuesta a la solicitud ${f.request.number}, recibida el ${longDateEs(f.request.receivedOn)}.`,
    },
    {
      type: 'fields',
      rows: [
        ['Solicitud', f.request.number],
        ['Cliente', f.client.name],
        ['Entregado a', [f.recipient.name, f.recipient.organization].filter(Boolean).join(', ')],
        ['Tipo de solicitud', KIND_LABELS_ES[f.request.kind]],
        ['Propósito', f.request.purpose ?? 'A petición de la persona'],
        ['Paquete', `Versión ${f.version}, ${f.today}`],
      ],
    },
    { type: 'heading', text: 'Qué se adjunta' },
    {
      type: 'table',
      columns: ['#', 'Documento', 'Tipo', 'Fechas', 'Págs.'],
      widths: [0.4, 3, 1.8, 2, 0.7],
      rows: f.documents.map((d, i) => [
        String(i + 1),
        d.name,
        d.documentClass
          ? (DOCUMENT_CLASS_LABELS_ES[d.documentClass as DocumentClass] ?? d.documentClass)
          : '—',
        datesEs(d.dateFrom, d.dateTo),
        String(pagesPerSource[i] ?? ''),
      ]),
      empty: 'Ningún documento.',
    },
  ];
  if (f.part2) {
    blocks.push(
      {
        type: 'heading',
        text: 'Aviso: 42 CFR parte 2 (expedientes sobre trastornos por consumo de sustancias)',
      },
      { type: 'paragraph', text: f.part2.notice },
      { type: 'heading', text: 'El consentimiento con el que se divulgan estos expedientes' },
      { type: 'paragraph', text: f.part2.consent },
    );
  }
  blocks.push(
    { type: 'heading', text: 'Confidencialidad' },
    { type: 'paragraph', text: CONFIDENTIALITY_NOTICE_ES },
    { type: 'paragraph', text: ENGLISH_ON_REQUEST_ES },
  );
  const contact = english.letterhead.lines[0]?.replace('Privacy officer:', 'Responsable de privacidad:');
  return {
    ...english,
    letterhead: { practiceName: f.practice.name, lines: contact ? [contact] : [] },
    date: longDateEs(f.today),
    title: 'Entrega de expedientes',
    blocks,
    footerNotice: CONFIDENTIALITY_NOTICE_ES,
    pageWords: SPANISH_PAGE_WORDS,
  };
}
