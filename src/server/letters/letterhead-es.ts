// The Spanish words of the pieces every letter shares (issue 7): who to contact, dates written out
// with Intl ('es-US'), and what records were asked for. Plain Spanish with "usted". Pure.
import type { DocumentClass } from '../../shared/request-kinds.js';
import type { PracticeFacts } from './letterhead.js';

export const DOCUMENT_CLASS_LABELS_ES: Readonly<Record<DocumentClass, string>> = {
  progress_notes: 'Notas de progreso',
  psychotherapy_notes: 'Notas de psicoterapia',
  assessments: 'Evaluaciones',
  treatment_plans: 'Planes de tratamiento',
  letters_and_reports: 'Cartas e informes',
  billing: 'Registros de facturación',
  part2: 'Expedientes sobre el consumo de sustancias (Parte 2)',
  third_party: 'Expedientes de otras fuentes',
};

const dayFormat = new Intl.DateTimeFormat('es-US', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const longFormat = new Intl.DateTimeFormat('es-US', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

const utc = (date: string) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
};

/** "1 de enero de 2025" (YYYY-MM-DD in). */
export function plainDateEs(date: string): string {
  return dayFormat.format(utc(date));
}

/** "lunes, 2 de noviembre de 2026" (YYYY-MM-DD in, already in the practice's zone). */
export function longDateEs(date: string): string {
  return longFormat.format(utc(date));
}

/** "Pat Privacy, nuestra oficial de privacidad, por teléfono al 555-0100 o por correo a …". */
export function contactSentenceEs(practice: PracticeFacts): string {
  const who = practice.privacyOfficerName
    ? `${practice.privacyOfficerName}, responsable de privacidad`
    : 'el responsable de privacidad';
  const ways = [
    practice.privacyOfficerPhone ? `por teléfono al ${practice.privacyOfficerPhone}` : null,
    practice.privacyOfficerEmail ? `por correo electrónico a ${practice.privacyOfficerEmail}` : null,
  ].filter(Boolean);
  return ways.length > 0 ? `${who}, ${ways.join(' o ')}` : `${who} de ${practice.name}`;
}

/** The privacy officer's name, phone and email as label/value rows (the missing ones left out). */
export function contactFieldsEs(practice: PracticeFacts): [string, string][] {
  const rows: [string, string][] = [
    [
      'Responsable de privacidad',
      practice.privacyOfficerName ?? `El responsable de privacidad, ${practice.name}`,
    ],
  ];
  if (practice.privacyOfficerPhone) rows.push(['Teléfono', practice.privacyOfficerPhone]);
  if (practice.privacyOfficerEmail) rows.push(['Correo electrónico', practice.privacyOfficerEmail]);
  return rows;
}

/** "Notas de progreso y planes de tratamiento". */
export function recordClassesEs(classes: readonly string[]): string {
  const labels = classes.map((c, i) => {
    const label = DOCUMENT_CLASS_LABELS_ES[c as DocumentClass] ?? c.replaceAll('_', ' ');
    return i === 0 ? label : label.toLowerCase();
  });
  if (labels.length <= 1) return labels[0] ?? 'Expedientes';
  return `${labels.slice(0, -1).join(', ')} y ${labels.at(-1)}`;
}

/** "del 1 de enero de 2025 al 30 de junio de 2026", "desde …", "hasta …", or "" for all dates. */
export function dateRangeEs(from: string | null | undefined, to: string | null | undefined): string {
  if (from && to) return `del ${plainDateEs(from)} al ${plainDateEs(to)}`;
  if (from) return `desde el ${plainDateEs(from)}`;
  if (to) return `hasta el ${plainDateEs(to)}`;
  return '';
}

/** "Notas de progreso y planes de tratamiento, del 1 de enero de 2025 al 30 de junio de 2026". */
export function describeRecordsEs(
  classes: readonly string[],
  from?: string | null,
  to?: string | null,
): string {
  const range = dateRangeEs(from, to);
  return range ? `${recordClassesEs(classes)}, ${range}` : `${recordClassesEs(classes)} (todas las fechas)`;
}

/** "sus expedientes" or "los expedientes de Alex Client". */
export function askedEs(clientAccess: boolean, clientName: string): string {
  return clientAccess ? 'sus expedientes' : `los expedientes de ${clientName}`;
}
