// Las palabras comunes del portal en español (usted), con las mismas claves que ../en/common.ts.
import type { CommonWords } from '../en/common';

export const common: CommonWords = {
  skipToContent: 'Ir al contenido principal',
  portalName: 'Solicitudes de expedientes',
  language: 'Idioma',
  loading: 'Cargando…',
  help: { intro: '¿Preguntas? Comuníquese con {{name}}.', phone: 'Teléfono', email: 'Correo electrónico' },
  footer: 'Su información es privada. Esta página muestra solo su propia solicitud.',
  errors: {
    network: 'No pudimos conectar con el servidor de la consulta. Revise su conexión e inténtelo de nuevo.',
    tooMany: 'Demasiados intentos. Espere un minuto y vuelva a intentarlo.',
    server: 'Algo falló de nuestro lado. Inténtelo de nuevo en unos minutos.',
    sessionEnded:
      'Por su privacidad, esta página se cerró después de un tiempo sin uso. Vuelva a abrir el enlace de su correo.',
    notFound: 'No encontramos esta página.',
  },
  notFoundTitle: 'Página no encontrada',
  notFoundBody: 'Revise el enlace de su correo o comuníquese con la consulta.',
};
