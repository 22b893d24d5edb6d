// rule AUTH-7, AUTH-1, AUTH-2, AUTH-4: the words of the practice's authorization form in plain Spanish
// (usted), for a request made in Spanish (issue 7). Only words: the sections, their order and what
// fills them are the one builder's (authorization-form.ts), so the Spanish form has every core element
// of 164.508(c)(1), the three statements of 164.508(c)(2) and the promise of a copy (164.508(c)(4))
// exactly as the English one does. Not a summary beside English legal text: this is the form the
// client signs. Kept plain (Fernández-Huerta reading ease, readability-es.ts, checked by the test
// beside this file). Pure.
import { plainDateEs } from '../letters/letterhead-es.js';
import {
  type AuthorizationForm,
  type AuthorizationFormFacts,
  type AuthorizationFormWords,
  authorizationForm,
} from './authorization-form.js';

/** The Spanish form's words. */
export const AUTHORIZATION_FORM_WORDS_ES: AuthorizationFormWords = {
  date: plainDateEs,
  title: 'Su permiso para compartir sus expedientes',
  notesTitle: 'Su permiso para compartir notas de psicoterapia',
  intro: (practice) =>
    `Con este formulario, ${practice} puede compartir algunos de sus expedientes. Dice qué expedientes, quién los recibe y para qué. Léalo antes de firmar. Pregúntenos si algo no está claro.`,
  client: { name: 'Cliente', dateOfBirth: 'Fecha de nacimiento' },
  headings: {
    discloser: '1. Quién compartirá sus expedientes',
    recipient: '2. Quién recibirá sus expedientes',
    records: '3. Qué expedientes compartiremos',
    purpose: '4. Para qué los compartiremos',
    expiry: '5. Cuándo termina este permiso',
    rights: 'Sus derechos',
    sign: 'Firme aquí',
  },
  discloser: (practice) => `${practice} los compartirá.`,
  recipient: {
    name: 'Nombre',
    organization: 'Organización',
    address: 'Dirección',
    email: 'Correo electrónico',
  },
  records: {
    progress_notes: 'Notas de progreso: notas de sus citas',
    psychotherapy_notes: 'Notas de psicoterapia: las notas privadas de su terapeuta sobre sus sesiones',
    assessments: 'Evaluaciones: resultados de pruebas y lo que significan',
    treatment_plans: 'Planes de tratamiento: sus metas y el plan de su atención',
    letters_and_reports: 'Cartas e informes sobre usted',
    billing: 'Registros de cobro: sus cuentas y sus pagos',
    part2: 'Expedientes de atención por consumo de alcohol o drogas',
    third_party: 'Expedientes que recibimos de otros médicos o servicios',
  },
  recordsBlank: 'Los expedientes que se nombran aquí: ____________________________',
  recordDates: {
    fromTo: (from, to) => `Expedientes del ${from} al ${to}.`,
    from: (from) => `Expedientes desde el ${from} hasta la fecha en que usted firme este formulario.`,
    to: (to) => `Expedientes hasta el ${to}.`,
    any: 'Expedientes de cualquier fecha, hasta la fecha en que usted firme este formulario.',
  },
  notesOnly:
    'Este formulario es solo para notas de psicoterapia. La ley pide un formulario solo para ellas. No sirve para ningún otro expediente.',
  notesLeftOut:
    'Este formulario no sirve para las notas de psicoterapia. Son las notas privadas de su terapeuta. La ley pide otro formulario para ellas.',
  purpose: (purpose) => `El motivo: ${purpose}`,
  atMyRequest: 'A petición mía.',
  expiresOn: (date) => `Este permiso termina el ${date}.`,
  expiresAfter: (event) => `Este permiso termina ${event}`,
  defaultExpiryEvent: 'un año después de la fecha en que usted firme este formulario',
  revoke: {
    officer: (officer, practice) => `${officer}, en ${practice}`,
    how: (to) => `Para hacerlo, escríbanos una carta y fírmela. Envíela por correo o tráigala a ${to}.`,
    byEmail: (email) => `También puede enviarla por correo electrónico a ${email}.`,
    statement: (howTo) =>
      `Usted puede retirar (cancelar) este permiso cuando quiera. ${howTo} Desde el día en que la recibamos, dejaremos de compartir. No deshace lo que ya compartimos.`,
  },
  notConditioned:
    'Usted no tiene que firmar este formulario. Si no lo firma, le seguiremos atendiendo. Su atención y el pago de su atención no dependen de esta firma.',
  redisclosure:
    'La persona o el grupo que reciba sus expedientes podría darlos a otros. Si lo hace, es posible que la ley federal de privacidad ya no los proteja.',
  copy: 'Usted recibirá una copia de este formulario cuando lo firme.',
  signIntro:
    'Al firmar, usted dice que sí a compartir estos expedientes. Si otra persona firma por el cliente, escriba por qué puede hacerlo. Por ejemplo: madre o padre de un menor, tutor o poder legal.',
  signatureLines: [
    'Firma del cliente o de su representante',
    'Fecha de la firma',
    'Nombre en letra de molde',
    'Si no es el cliente: por qué puede firmar por él o ella',
  ],
  footer: (practice) =>
    `Confidencial: este formulario trata de un cliente de ${practice}. Quien firma recibe una copia.`,
};

/** rule AUTH-7: the form in Spanish: the one builder with the Spanish words. */
export function authorizationFormEs(f: AuthorizationFormFacts): AuthorizationForm {
  return authorizationForm(f, AUTHORIZATION_FORM_WORDS_ES);
}
