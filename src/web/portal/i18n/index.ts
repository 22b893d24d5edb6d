// The portal's languages (issue 7): English and Spanish for everything a requester sees. One
// resource file per language and namespace (i18n/<lng>/<namespace>.ts); a namespace is added to
// RESOURCES below for both languages. The language is the one the requester chose (remembered in
// localStorage), else the browser's first preference, else English.
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { detectLanguage, isPortalLanguage } from '../../../shared/schemas/portal';
import { common as enCommon } from './en/common';
import { intake as enIntake } from './en/intake';
import { sign as enSign } from './en/sign';
import { status as enStatus } from './en/status';
import { common as esCommon } from './es/common';
import { intake as esIntake } from './es/intake';
import { sign as esSign } from './es/sign';
import { status as esStatus } from './es/status';

export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', es: 'Español' };

const RESOURCES = {
  en: { common: enCommon, status: enStatus, intake: enIntake, sign: enSign },
  es: { common: esCommon, status: esStatus, intake: esIntake, sign: esSign },
} as const;

const STORAGE_KEY = 'rd.portal.language';

export const isLanguage = isPortalLanguage;
export { detectLanguage };

function readStored(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/**
 * The request's own language (from the server) when the requester has not chosen one here: a
 * request made in Spanish opens in Spanish.
 */
export function adoptLanguage(instance: i18n, lng: Language): void {
  if (isLanguage(readStored()) || instance.language === lng) return;
  void instance.changeLanguage(lng);
}

export function rememberLanguage(lng: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // private browsing: the choice lasts for this page only
  }
}

export function createPortalI18n(): i18n {
  const instance = i18next.createInstance();
  const lng = detectLanguage(readStored(), navigator.languages ?? [navigator.language]);
  void instance.use(initReactI18next).init({
    resources: RESOURCES,
    lng,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    defaultNS: 'common',
    ns: Object.keys(RESOURCES.en),
    // React escapes what it renders; nothing here is ever inserted as HTML.
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  document.documentElement.lang = lng;
  instance.on('languageChanged', (next) => {
    document.documentElement.lang = next;
  });
  return instance;
}
