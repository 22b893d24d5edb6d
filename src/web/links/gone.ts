// What the page says when a link cannot be used (REL-2): calmly, in the page's language, from the
// refusal's status and code (the server's English words are used as they are on an English page).
import { LinkError } from './api';
import type { LinkWords } from './words';

export interface Gone {
  title: string;
  message: string;
}

/** A refusal in the page's language (the server's own words on an English page). */
export function problemText(err: unknown, words: LinkWords): string {
  if (err instanceof LinkError) return words.problem(err.code, err.message) ?? err.message;
  return err instanceof Error && words.htmlLang === 'en' ? err.message : words.tryLater;
}

export function goneOf(err: unknown, words: LinkWords): Gone {
  if (err instanceof LinkError && err.status === 404) {
    return { title: words.gone.not_found, message: words.goneHelp };
  }
  if (err instanceof LinkError && err.status === 410) {
    const key = err.code in words.gone ? (err.code as keyof LinkWords['gone']) : 'other';
    const title = words.gone[key];
    // The server's words often begin with the title itself: say it once.
    return { title, message: problemText(err, words).replace(`${title}. `, '') };
  }
  return {
    title: words.openFailed,
    message: err instanceof Error && words.htmlLang === 'en' ? err.message : words.tryLater,
  };
}
