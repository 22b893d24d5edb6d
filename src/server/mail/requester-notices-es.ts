// The requester notices in Spanish (issue 7): natural, plain Spanish with "usted", not a word-for-word
// copy of the English. Same placeholders as requester-notices.ts (REL-2, SEC-5: only the request
// number, the answer date, the fee, what happens next and who to contact). Pure.

export interface TemplateEs {
  subject: string;
  text: string;
}

const FOOTER_ES = [
  '¿Preguntas? {{contact}}',
  'También puede responder a este correo; su respuesta se guarda con la solicitud {{requestNumber}}.',
  'Por su privacidad, no envíe información de salud por correo electrónico.',
].join('\n');

export const SPANISH_TEMPLATES = {
  requester_acknowledgement: {
    subject: 'Recibimos su solicitud de expedientes {{requestNumber}}',
    text: [
      'Gracias. {{practiceName}} recibió su solicitud de expedientes. Su número es {{requestNumber}}: menciónelo cada vez que se comunique con nosotros.',
      '',
      'Lo que sigue: revisamos la solicitud y es posible que le contactemos para confirmar su identidad. Si hay un costo, le diremos el monto antes de cobrar nada. Le responderemos a más tardar el {{dueDate}}.',
      '',
      'Puede ver cómo va su solicitud aquí: {{link}}',
      '',
      FOOTER_ES,
    ].join('\n'),
  },
  requester_fee_quote: {
    subject: 'Su solicitud de expedientes {{requestNumber}}: el costo',
    text: [
      'El costo de su solicitud de expedientes {{requestNumber}} es {{feeTotal}}.',
      '',
      'Lo que sigue: no se cobra nada hasta que usted esté de acuerdo. Díganos si lo acepta o si tiene preguntas sobre el costo. Solo cubre la preparación y el envío de los expedientes.',
      '',
      'Puede ver la factura y pagar aquí: {{link}}',
      '',
      FOOTER_ES,
    ].join('\n'),
  },
  requester_status: {
    subject: 'Su solicitud de expedientes {{requestNumber}}: {{outcome}}',
    text: [
      'Su solicitud de expedientes {{requestNumber}} está cerrada: {{outcome}}.',
      '',
      'Lo que sigue: no necesita hacer nada más. Si le escribimos al respecto, ese mensaje se guarda con su solicitud. Puede hacer una nueva solicitud cuando quiera.',
      '',
      'Su solicitud: {{link}}',
      '',
      FOOTER_ES,
    ].join('\n'),
  },
  requester_ready: {
    subject: 'Su solicitud de expedientes {{requestNumber}}: expedientes entregados',
    text: [
      'Los expedientes de su solicitud {{requestNumber}} ya fueron entregados. {{howDelivered}}',
      '',
      'Lo que sigue: no necesita hacer nada más. Si falta algo o no puede abrirlos, comuníquese con nosotros.',
      '',
      'Su solicitud: {{link}}',
      '',
      FOOTER_ES,
    ].join('\n'),
  },
} as const satisfies Record<string, TemplateEs>;

export function contactLineEs(p: { name: string; phone: string | null; email: string | null }): string {
  const ways = [p.phone ? `llame al ${p.phone}` : null, p.email ? `escriba a ${p.email}` : null].filter(
    Boolean,
  );
  return ways.length > 0 ? `${ways.join(' o ')} (${p.name}).` : `comuníquese con ${p.name}.`;
}

export function formatFeeEs(totalCents: number): string {
  if (totalCents <= 0) return 'sin costo';
  return `US$${(totalCents / 100).toFixed(2)}`;
}

export function howDeliveredEs(method: string | null | undefined): string {
  switch (method) {
    case 'secure_download':
      return 'En un correo aparte le enviamos un enlace seguro, y en otro, un código para abrirlo.';
    case 'mail':
      return 'Se enviaron por correo postal a la dirección que nos dio.';
    case 'pickup':
      return 'Están listos para que los recoja: traiga una identificación con foto.';
    case 'inspection':
      return 'Acordaremos con usted un momento para revisarlos.';
    case 'fax':
      return 'Se enviaron por fax al número que nos dio.';
    case 'email':
      return 'Se enviaron por correo electrónico a la dirección que nos dio.';
    case 'verbal':
      return 'Se conversaron con usted como acordamos.';
    default:
      return 'Se enviaron de la forma que usted pidió.';
  }
}

export function outcomeWordsEs(stage: string): string {
  switch (stage) {
    case 'withdrawn':
      return 'retirada a petición suya';
    case 'cancelled':
      return 'cancelada';
    case 'no_records':
      return 'no tenemos los expedientes solicitados';
    case 'denied':
      return 'no aprobada (nuestra carta explica el motivo y sus derechos)';
    case 'released':
      return 'expedientes entregados';
    default:
      return 'cerrada';
  }
}

/** "lunes, 28 de diciembre de 2026" in the practice's time zone. */
export function answerDateEs(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('es-US', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone,
  }).format(at);
}
