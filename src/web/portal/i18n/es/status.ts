// El enlace y la página de estado en español (espacio de nombres `status`).
import type { StatusWords } from '../en/status';

export const status: StatusWords = {
  placeholderTitle: 'Su solicitud',
};
