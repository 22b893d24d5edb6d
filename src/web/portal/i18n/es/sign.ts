// La firma del formulario de autorización en español (usted), con las mismas claves que ../en/sign.ts.
// Una solicitud en español firma un formulario escrito en español. Si la solicitud es en inglés y la
// página está en español, el formulario es inglés y la página muestra un resumen sobre cada sección.
import type { SignWords } from '../en/sign';

export const sign: SignWords = {
  title: 'Firme su formulario de permiso',
  loading: 'Cargando el formulario…',
  intro:
    'Usted nos pidió enviar una copia de sus expedientes a otra persona. La ley pide primero su permiso firmado. Lea el formulario y firme al final.',
  formIn: {
    en: 'Este formulario está en inglés, el idioma de su solicitud. Sobre cada parte hay un resumen en español. Si algo no está claro, pregunte a la consulta antes de firmar.',
    es: '',
  },
  summaryHeading: 'En español',
  pdfLink: 'Abrir el formulario exacto en PDF',
  fingerprint: 'Huella del formulario (SHA-256): {{sha256}}',
  signHeading: 'Firmar',
  signAs: 'Usted firma como {{name}}.',
  method: {
    label: '¿Cómo quiere firmar?',
    typed: 'Escribir su nombre',
    drawn: 'Dibujar su firma',
  },
  typedLabel: 'Escriba su nombre completo',
  typedHint: 'Escribir su nombre cuenta como su firma.',
  drawLabel: 'Dibuje su firma aquí con el dedo o el ratón',
  drawHint: 'Si le cuesta dibujar, elija «Escribir su nombre» arriba.',
  clear: 'Borrar el dibujo',
  drawFirst: 'Primero dibuje su firma, o elija «Escribir su nombre».',
  typedTooShort: 'Escriba su nombre completo para firmar: al menos 2 letras.',
  consentMissing: 'Marque las dos casillas para firmar.',
  consentRead: 'Leí este formulario y quiero que se compartan estos expedientes como dice.',
  consentSign: 'Acepto firmar de forma electrónica. Esta es mi firma, igual que firmar en papel.',
  submit: 'Firmar el formulario',
  signing: 'Firmando…',
  doneTitle: 'Gracias: su formulario está firmado',
  done: 'Usted firmó el {{date}}. Guarde una copia. También está en la página de su solicitud, y le enviamos por correo un enlace a ella.',
  nextStep: 'Ahora comprobaremos quién firmó antes de enviar expedientes. Es posible que le contactemos.',
  download: 'Descargar su copia firmada',
  back: 'Volver a su solicitud',
  states: {
    not_needed: 'Su solicitud no necesita un formulario firmado por usted.',
    client_signs:
      'El cliente debe firmar este formulario de permiso personalmente. La consulta se lo enviará.',
    practice_prepares:
      'La consulta preparará este formulario y se lo enviará. Por ahora no tiene que hacer nada aquí.',
  },
  statusCard: {
    heading: 'Su formulario de permiso',
    toSign: 'Lea y firme el formulario que nos permite enviar sus expedientes.',
    signed: 'Usted firmó el formulario. Puede descargar su copia.',
    open: 'Leer y firmar el formulario',
    view: 'Ver su formulario firmado',
  },
  summaries: {
    intro:
      'Este formulario permite a la consulta compartir algunos de sus expedientes. Dice cuáles, quién los recibe y por qué.',
    whoShares: 'Quién compartirá sus expedientes: la consulta.',
    whoGets: 'Quién recibirá sus expedientes: la persona o el grupo que usted nombró.',
    which: 'Qué expedientes se compartirán, y de qué fechas.',
    why: 'Por qué se compartirán: el motivo que usted dio.',
    ends: 'Cuándo termina este permiso.',
    rights:
      'Sus derechos: puede cancelar este permiso por escrito en cualquier momento (no deshace lo ya compartido). No tiene que firmar: le seguiremos atendiendo igual. Quien reciba sus expedientes podría compartirlos, y entonces la ley federal de privacidad quizás ya no los proteja. Recibirá una copia de este formulario.',
    signHere: 'Al firmar, usted dice que sí a compartir estos expedientes.',
  },
};
