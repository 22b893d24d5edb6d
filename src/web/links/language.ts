// The recipient page's language (issue 7), decided before the link answers: the one the person chose
// here or in the portal (the same remembered choice), else the browser's first English or Spanish
// preference, else English. Once the link answers (opened, or gone with its request's language), the
// request's language is taken unless the person chose one themselves.
import { detectLanguage, isPortalLanguage } from '../../shared/schemas/portal';
import type { LinkLanguage } from './words';

/** The portal's key (i18n/index.ts): one choice for everything a requester sees. */
const STORAGE_KEY = 'rd.portal.language';

export function chosenLanguage(): LinkLanguage | null {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isPortalLanguage(stored) ? stored : null;
  } catch {
    return null;
  }
}

export function rememberLanguage(language: LinkLanguage): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // private browsing: the choice lasts for this page only
  }
}

/** The first screen's language, before the link has said anything. */
export function initialLanguage(): LinkLanguage {
  return detectLanguage(chosenLanguage(), navigator.languages ?? [navigator.language]);
}
