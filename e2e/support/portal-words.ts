// The words a requester sees in the own-records journey, in English and Spanish (the portal's
// i18n resources say the same; a journey asserts them as a person reads them).
export interface OwnRecordsWords {
  lng: 'en' | 'es';
  next: string;
  intake: {
    choice: string;
    own: string;
    about: string;
    first: string;
    last: string;
    dob: string;
    which: string;
    how: string;
    email: string;
    emailLabel: string;
    sendCode: string;
    code: string;
    codeLabel: string;
    submit: string;
    done: string;
  };
  linkTitle: string;
  codeLabel: string;
  statusTitle: (number: string) => string;
  stage: { received: string; reviewing: string; preparing: string; ready: string };
  download: string;
}

export const OWN_RECORDS: Record<'en' | 'es', OwnRecordsWords> = {
  en: {
    lng: 'en',
    next: 'Continue',
    intake: {
      choice: 'What would you like to do?',
      own: 'Get a copy of my own records',
      about: 'About you',
      first: 'First name',
      last: 'Last name',
      dob: 'Date of birth',
      which: 'Which records?',
      how: 'How would you like to get them?',
      email: 'Where can we email you?',
      emailLabel: 'Email address',
      sendCode: 'Email me a code',
      code: 'Enter your code',
      codeLabel: '6-digit code',
      submit: 'Send my request',
      done: 'We have your request',
    },
    linkTitle: 'See your records request',
    codeLabel: 'Code from the email',
    statusTitle: (n) => `Request ${n}`,
    stage: {
      received: 'We have your request',
      reviewing: 'Your therapist is reviewing it with you',
      preparing: 'Being prepared',
      ready: 'Ready',
    },
    download: 'Download your records (PDF)',
  },
  es: {
    lng: 'es',
    next: 'Continuar',
    intake: {
      choice: '¿Qué desea hacer?',
      own: 'Pedir una copia de mis propios expedientes',
      about: 'Sobre usted',
      first: 'Nombre',
      last: 'Apellido',
      dob: 'Fecha de nacimiento',
      which: '¿Qué expedientes?',
      how: '¿Cómo desea recibirlos?',
      email: '¿A qué correo le escribimos?',
      emailLabel: 'Correo electrónico',
      sendCode: 'Enviarme un código',
      code: 'Escriba su código',
      codeLabel: 'Código de 6 dígitos',
      submit: 'Enviar mi solicitud',
      done: 'Recibimos su solicitud',
    },
    linkTitle: 'Vea su solicitud de expedientes',
    codeLabel: 'Código del correo',
    statusTitle: (n) => `Solicitud ${n}`,
    stage: {
      received: 'Recibimos su solicitud',
      reviewing: 'Su terapeuta la está revisando con usted',
      preparing: 'En preparación',
      ready: 'Lista',
    },
    download: 'Descargar sus expedientes (PDF)',
  },
};
