// rule REV-3, REV-4, REV-5: the denial letter of 164.524(d)(2) in plain Spanish (issue 7), with every
// element the English letter has: the basis, what a partial denial releases and withholds, the review
// right by a licensed professional who took no part (REV-4) or that there is none (REV-3), and how
// to complain to the practice and to HHS. The clinician's own words stay as written. Pure.
import type { RequestKind } from '../../shared/request-kinds.js';
import { type DenialGround, isReviewableDenialGround } from '../../shared/review-decisions.js';
import type { LetterInput } from '../pdf/letter.js';
import {
  frame,
  HHS_OCR,
  type LetterFacts,
  type PracticeFacts,
  paragraphs,
  type ScopeFacts,
  splitScope,
} from './letterhead.js';
import {
  askedEs,
  contactFieldsEs,
  contactSentenceEs,
  describeRecordsEs,
  plainDateEs,
  recordClassesEs,
} from './letterhead-es.js';

export interface DenialLetterFacts extends LetterFacts {
  kind: RequestKind;
  clientName: string;
  /** Long date the request was received: "Monday 2 November 2026". */
  received: string;
  requested: ScopeFacts;
  ground: DenialGround;
  /** The supervisor's written explanation to the requester (the review's `denialLetter`). */
  explanation: string;
  /** A partial denial (REV-5): what is still released, and by when (a long date, null when past). */
  partial: { approved: ScopeFacts; releaseBy: string | null } | null;
}

/** The basis of each ground in Spanish (REV-3, REV-4). */
export function groundInPlainWordsEs(ground: DenialGround, clientName: string, kind: RequestKind): string {
  const whose = kind === 'client_access' ? 'su expediente' : `el expediente de ${clientName}`;
  switch (ground) {
    // rule REV-3: the grounds that cannot be reviewed (164.524(a)(2)).
    case 'psychotherapy_notes':
      return `Los expedientes incluyen notas de psicoterapia. Son las notas privadas y aparte que un terapeuta escribe sobre las sesiones. Se guardan separadas del resto de ${whose}. La ley no da derecho a recibir una copia de ellas.`;
    case 'legal_proceedings':
      return 'Parte de los expedientes se preparó para un caso judicial u otro procedimiento legal. La ley no da derecho a recibir una copia de ellos.';
    case 'correctional_safety':
      return 'La solicitud viene de un centro penitenciario. Entregar una copia allí podría poner en riesgo la salud o la seguridad de las personas del centro.';
    case 'research_in_progress':
      return 'Los expedientes forman parte de un estudio de investigación que sigue en curso. Al empezar el estudio, el cliente aceptó no verlos hasta que termine. Se podrán ver cuando el estudio haya terminado.';
    case 'privacy_act':
      return 'Los expedientes están protegidos por una ley federal, la Ley de Privacidad (Privacy Act), que nos permite negar esta solicitud.';
    case 'confidential_source':
      return 'Parte de la información vino de una persona ajena a la consulta a quien se le prometió mantenerla en privado. Entregársela a usted probablemente revelaría quién es esa persona.';
    // rule REV-4: the grounds a licensed professional judged, which can be reviewed (164.524(a)(3)).
    case 'endanger_life_or_safety':
      return `Un profesional de la salud con licencia considera que ver estos expedientes probablemente pondría en riesgo ${kind === 'client_access' ? 'su vida o su seguridad física' : `la vida o la seguridad física de ${clientName}`}, o la de otra persona.`;
    case 'harm_to_referenced_person':
      return 'Los expedientes mencionan a otra persona. Un profesional de la salud con licencia considera que entregárselos a usted probablemente le causaría un daño grave a esa persona.';
    case 'representative_harm':
      return `Usted hizo la solicitud como representante de ${clientName}. Un profesional de la salud con licencia considera que entregarle los expedientes probablemente causaría un daño grave a ${clientName} o a otra persona.`;
  }
}

/** rule REV-5: what a partial denial releases and withholds, in Spanish. */
export function releasedAndWithheldEs(requested: ScopeFacts, approved: ScopeFacts) {
  return splitScope(requested, approved, {
    describe: describeRecordsEs,
    before: (kept, date) => `${recordClassesEs(kept)} con fecha anterior al ${plainDateEs(date)}`,
    after: (kept, date) => `${recordClassesEs(kept)} con fecha posterior al ${plainDateEs(date)}`,
  });
}

/** rule REV-5: how to complain to the practice and to HHS, in Spanish. */
export function complaintBlocksEs(practice: PracticeFacts): LetterInput['blocks'] {
  return [
    { type: 'heading', text: 'Cómo presentar una queja' },
    {
      type: 'paragraph',
      text: 'Si cree que nos equivocamos, puede presentar una queja ante nosotros, ante el Departamento de Salud y Servicios Humanos de los EE. UU. (HHS), o ante ambos. Presentar una queja no cambiará en nada el trato que usted recibe.',
    },
    { type: 'paragraph', text: `Para presentar una queja ante ${practice.name}, comuníquese con:` },
    { type: 'fields', rows: contactFieldsEs(practice) },
    { type: 'paragraph', text: 'Para presentar una queja ante el gobierno federal, comuníquese con:' },
    {
      type: 'fields',
      rows: [
        ['Oficina', `${HHS_OCR.name} (Oficina de Derechos Civiles)`],
        ['Dirección', HHS_OCR.address],
        ['Teléfono', HHS_OCR.phone],
        ['En línea', HHS_OCR.web],
      ],
    },
  ];
}

/** rule REV-4: the review right and how to use it; rule REV-3: say plainly when there is none. */
export function reviewRightBlocksEs(ground: DenialGround, practice: PracticeFacts): LetterInput['blocks'] {
  if (!isReviewableDenialGround(ground)) {
    return [
      { type: 'heading', text: 'Esta decisión no se puede revisar' },
      {
        type: 'paragraph',
        text: 'Por este motivo, la ley no da derecho a que otro profesional revise la decisión. Aun así, usted puede presentar una queja, como se explica más abajo.',
      },
    ];
  }
  return [
    { type: 'heading', text: 'Puede pedir que se revise esta decisión' },
    {
      type: 'paragraph',
      text: 'Usted tiene derecho a pedir que se revise esta decisión. Un profesional de la salud con licencia elegido por la consulta, que no participó en esta decisión, la volverá a estudiar. Puede cambiarla.',
    },
    {
      type: 'paragraph',
      text: `Para pedir la revisión, escriba o llame a ${contactSentenceEs(practice)}. Diga que desea que se revise la negativa e indique la referencia que aparece arriba en esta carta. No tiene ningún costo. Le comunicaremos por escrito la decisión del revisor.`,
    },
  ];
}

/** "Se los enviaremos a más tardar el miércoles, 2 de diciembre de 2026." */
export function whenSentEs(releaseBy: string | null): string {
  return releaseBy
    ? `Se los enviaremos a más tardar el ${releaseBy}.`
    : 'Se los enviaremos en cuanto estén listos.';
}

export function denialLetterEs(f: DenialLetterFacts): LetterInput {
  const blocks: LetterInput['blocks'] = [
    { type: 'paragraph', text: `Estimado/a ${f.recipient.name}:` },
    {
      type: 'paragraph',
      text: `El ${f.received} usted nos pidió ${askedEs(f.kind === 'client_access', f.clientName)}: ${describeRecordsEs(f.requested.documentClasses, f.requested.dateFrom, f.requested.dateTo)}.`,
    },
  ];
  if (f.partial) {
    // rule REV-5: everything not denied is still released (164.524(d)(1)).
    const { released, withheld } = releasedAndWithheldEs(f.requested, f.partial.approved);
    blocks.push(
      {
        type: 'paragraph',
        text: 'Le daremos una parte de lo que pidió, pero no todo. Esta carta explica qué no le entregaremos, por qué, y qué puede hacer usted.',
      },
      { type: 'heading', text: 'Lo que le enviaremos' },
      { type: 'list', items: released.length > 0 ? released : ['Los expedientes que no aparecen abajo.'] },
      { type: 'paragraph', text: whenSentEs(f.partial.releaseBy) },
      { type: 'heading', text: 'Lo que no le entregaremos' },
      {
        type: 'list',
        items: withheld.length > 0 ? withheld : ['Las partes de estos expedientes que se describen abajo.'],
      },
    );
  } else {
    blocks.push({
      type: 'paragraph',
      text: 'Hemos decidido no entregarle estos expedientes. Esta carta explica por qué y qué puede hacer usted.',
    });
  }
  blocks.push(
    { type: 'heading', text: 'Por qué' },
    { type: 'paragraph', text: groundInPlainWordsEs(f.ground, f.clientName, f.kind) },
    { type: 'paragraph', text: 'En palabras del profesional que tomó esta decisión:' },
    ...paragraphs(f.explanation),
    ...reviewRightBlocksEs(f.ground, f.practice),
    ...complaintBlocksEs(f.practice),
    { type: 'heading', text: 'Preguntas' },
    {
      type: 'paragraph',
      text: `Si algo de esta carta no le queda claro, comuníquese con ${contactSentenceEs(f.practice)}. Con gusto se lo explicamos.`,
    },
    { type: 'paragraph', text: f.practice.name },
  );
  return frame(
    f,
    f.partial
      ? 'Solo podemos darle una parte de los expedientes que pidió'
      : 'No podemos darle los expedientes que pidió',
    blocks,
  );
}
