// rule AUTH-7, AUTH-1, AUTH-2, AUTH-4: the practice's authorization form written in plain Spanish
// (usted) for a request made in Spanish (issue 7): the same facts, sections and layout as the English
// form (authorization-form.ts), every core element of 164.508(c)(1) and the three statements of
// 164.508(c)(2), and the promise of a copy (164.508(c)(4)). Not a summary beside English legal text:
// this is the form the client signs. Kept plain (Fernández-Huerta reading ease, readability-es.ts,
// checked by the test beside this file). Pure.
import type { DocumentClass } from '../../shared/request-kinds.js';
import type { LocalDate } from '../../shared/time.js';
import { plainDateEs } from '../letters/letterhead-es.js';
import type { LetterBlock } from '../pdf/letter.js';
import {
  type AuthorizationForm,
  type AuthorizationFormFacts,
  DEFAULT_EXPIRY_EVENT,
} from './authorization-form.js';

/** What a client reads for each class of records, in Spanish: the name, then what it is. */
export const PLAIN_RECORD_WORDS_ES: Readonly<Record<DocumentClass, string>> = {
  progress_notes: 'Notas de progreso: notas de sus citas',
  psychotherapy_notes: 'Notas de psicoterapia: las notas privadas de su terapeuta sobre sus sesiones',
  assessments: 'Evaluaciones: resultados de pruebas y lo que significan',
  treatment_plans: 'Planes de tratamiento: sus metas y el plan de su atención',
  letters_and_reports: 'Cartas e informes sobre usted',
  billing: 'Registros de cobro: sus cuentas y sus pagos',
  part2: 'Expedientes de atención por consumo de alcohol o drogas',
  third_party: 'Expedientes que recibimos de otros médicos o servicios',
};

/** The default expiry event in Spanish (the record keeps the English DEFAULT_EXPIRY_EVENT for staff). */
export const DEFAULT_EXPIRY_EVENT_ES = 'un año después de la fecha en que usted firme este formulario';

/** The dates of the records in plain Spanish. */
export function recordDatesEs(from: LocalDate | null, to: LocalDate | null): string {
  if (from && to) return `Expedientes del ${plainDateEs(from)} al ${plainDateEs(to)}.`;
  if (from)
    return `Expedientes desde el ${plainDateEs(from)} hasta la fecha en que usted firme este formulario.`;
  if (to) return `Expedientes hasta el ${plainDateEs(to)}.`;
  return 'Expedientes de cualquier fecha, hasta la fecha en que usted firme este formulario.';
}

const ensureStop = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);

/** The purpose as the form says it: the request's own words, or "at my request" (164.508(c)(1)(iv)). */
export function plainPurposeEs(purpose: string | null): string {
  return purpose?.trim() ? ensureStop(purpose.trim()) : 'A petición mía.';
}

/** The expiry (AUTH-1: a date or an event); the English default event is said in Spanish. */
export function plainExpiryEs(f: Pick<AuthorizationFormFacts, 'expiresOn' | 'expiryEvent'>): string {
  if (f.expiresOn) return `Este permiso termina el ${plainDateEs(f.expiresOn)}.`;
  const event = f.expiryEvent?.trim();
  return `Este permiso termina ${ensureStop(!event || event === DEFAULT_EXPIRY_EVENT ? DEFAULT_EXPIRY_EVENT_ES : event)}`;
}

/** How to revoke, with the practice's own contact (164.508(c)(2)(i)). */
function howToRevokeEs(p: AuthorizationFormFacts['practice']): string {
  const to = p.privacyOfficerName ? `${p.privacyOfficerName}, en ${p.name}` : p.name;
  const email = p.privacyOfficerEmail
    ? ` También puede enviarla por correo electrónico a ${p.privacyOfficerEmail}.`
    : '';
  return `Para hacerlo, escríbanos una carta y fírmela. Envíela por correo o tráigala a ${to}.${email}`;
}

/** rule AUTH-7: the form's words and layout in Spanish, pre-filled from the facts. */
export function authorizationFormEs(f: AuthorizationFormFacts): AuthorizationForm {
  const oneLine = (s: string) =>
    s
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .join(', ');
  const recipientRows: [string, string][] = [
    ['Nombre', f.recipient.name],
    ...(f.recipient.organization ? ([['Organización', f.recipient.organization]] as [string, string][]) : []),
    ...(f.recipient.address ? ([['Dirección', oneLine(f.recipient.address)]] as [string, string][]) : []),
    ...(f.recipient.email ? ([['Correo electrónico', f.recipient.email]] as [string, string][]) : []),
  ];
  const records: LetterBlock[] = [
    {
      type: 'list',
      items:
        f.documentClasses.length > 0
          ? f.documentClasses.map((c) => PLAIN_RECORD_WORDS_ES[c])
          : ['Los expedientes que se nombran aquí: ____________________________'],
    },
    { type: 'paragraph', text: recordDatesEs(f.dateFrom, f.dateTo) },
  ];
  // rule AUTH-4: psychotherapy notes never share a form with other records, and the form says so.
  if (f.psychotherapyNotesOnly) {
    records.push({
      type: 'paragraph',
      text: 'Este formulario es solo para notas de psicoterapia. La ley pide un formulario solo para ellas. No sirve para ningún otro expediente.',
    });
  } else if (f.leftOut.includes('psychotherapy_notes')) {
    records.push({
      type: 'paragraph',
      text: 'Este formulario no sirve para las notas de psicoterapia. Son las notas privadas de su terapeuta. La ley pide otro formulario para ellas.',
    });
  }

  const blocks: LetterBlock[] = [
    {
      type: 'paragraph',
      text: `Con este formulario, ${f.practice.name} puede compartir algunos de sus expedientes. Dice qué expedientes, quién los recibe y para qué. Léalo antes de firmar. Pregúntenos si algo no está claro.`,
    },
    {
      type: 'fields',
      rows: [
        ['Cliente', f.client.name],
        ['Fecha de nacimiento', plainDateEs(f.client.dateOfBirth)],
      ],
    },
    // rule AUTH-1: who may disclose.
    { type: 'heading', text: '1. Quién compartirá sus expedientes' },
    { type: 'paragraph', text: `${f.practice.name} los compartirá.` },
    // rule AUTH-1: who receives.
    { type: 'heading', text: '2. Quién recibirá sus expedientes' },
    { type: 'fields', rows: recipientRows },
    // rule AUTH-1: a specific description of the information.
    { type: 'heading', text: '3. Qué expedientes compartiremos' },
    ...records,
    // rule AUTH-1: the purpose.
    { type: 'heading', text: '4. Para qué los compartiremos' },
    { type: 'paragraph', text: `El motivo: ${plainPurposeEs(f.purpose)}` },
    // rule AUTH-1: an expiration date or event.
    { type: 'heading', text: '5. Cuándo termina este permiso' },
    { type: 'paragraph', text: plainExpiryEs(f) },
    { type: 'heading', text: 'Sus derechos' },
    {
      type: 'list',
      items: [
        // rule AUTH-2, 164.508(c)(2)(i): the right to revoke in writing, how, and its limit.
        `Usted puede retirar (cancelar) este permiso cuando quiera. ${howToRevokeEs(f.practice)} Desde el día en que la recibamos, dejaremos de compartir. No deshace lo que ya compartimos.`,
        // rule AUTH-2, 164.508(c)(2)(ii): treatment is not conditioned on signing.
        'Usted no tiene que firmar este formulario. Si no lo firma, le seguiremos atendiendo. Su atención y el pago de su atención no dependen de esta firma.',
        // rule AUTH-2, 164.508(c)(2)(iii): redisclosure, and the loss of protection.
        'La persona o el grupo que reciba sus expedientes podría darlos a otros. Si lo hace, es posible que la ley federal de privacidad ya no los proteja.',
        // rule AUTH-7, 164.508(c)(4): the signer gets a copy.
        'Usted recibirá una copia de este formulario cuando lo firme.',
      ],
    },
    { type: 'heading', text: 'Firme aquí' },
    {
      // rule AUTH-1: signature and date, and a representative's authority.
      type: 'paragraph',
      text: 'Al firmar, usted dice que sí a compartir estos expedientes. Si otra persona firma por el cliente, escriba por qué puede hacerlo. Por ejemplo: madre o padre de un menor, tutor o poder legal.',
    },
    {
      type: 'signature',
      lines: [
        'Firma del cliente o de su representante',
        'Fecha de la firma',
        'Nombre en letra de molde',
        'Si no es el cliente: por qué puede firmar por él o ella',
      ],
    },
  ];

  return {
    title: f.psychotherapyNotesOnly
      ? 'Su permiso para compartir notas de psicoterapia'
      : 'Su permiso para compartir sus expedientes',
    blocks,
    addressee: [
      f.client.name,
      ...(f.client.address ? f.client.address.split(/\r?\n/).filter((l) => l.trim()) : []),
    ],
    footerNotice: `Confidencial: este formulario trata de un cliente de ${f.practice.name}. Quien firma recibe una copia.`,
  };
}
