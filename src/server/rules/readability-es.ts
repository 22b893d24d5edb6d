// rule AUTH-7: "plain language" made measurable for Spanish, as readability.ts does for English.
// Fernández-Huerta's reading ease (1959), the Spanish adaptation of Flesch's, in its corrected form
// (the original printed "sentences per 100 words" where Flesch has words per sentence; Law, 2011):
//   206.84 − 60 × (syllables / words) − 1.02 × (words / sentences)
// On Flesch's scale: 100 very easy, 70–80 fairly easy (about a 7th grade), 60–70 standard, below 50
// hard. And, beside it, Flesch's reading ease of English prose, so the two forms are read on one scale.
// Spanish syllables follow the spelling closely: one per vowel group, plus one for each hiatus (two
// strong vowels side by side, or an accented í / ú next to another vowel); the u of que, qui, gue,
// gui is silent. Pure; no dependencies.
import { countSyllables, sentencesOf, wordsOf } from './readability.js';

const STRONG = new Set(['a', 'e', 'o', 'á', 'é', 'ó']);
const ACCENTED_WEAK = new Set(['í', 'ú']);
const VOWELS = /[aeiouáéíóúü]+/g;

/** Syllables of one Spanish word (at least 1 for any word with a letter). */
export function countSyllablesEs(word: string): number {
  const w = word
    .toLowerCase()
    .replace(/[^a-záéíóúüñ]/g, '')
    // The u of "que", "qui", "gue", "gui" is not sounded (the ü of "pingüino" is, and stays).
    .replace(/([qg])u([eéií])/g, '$1$2');
  if (w.length === 0) return 0;
  const groups = w.match(VOWELS);
  // No vowel but y: the word "y" (and), one syllable. A final y after a vowel ("hoy", "muy") is
  // part of that vowel's syllable, so y is never counted otherwise.
  if (!groups) return 1;
  let n = 0;
  for (const g of groups) {
    n += 1;
    for (let i = 1; i < g.length; i++) {
      const a = g[i - 1]!;
      const b = g[i]!;
      // A hiatus: two strong vowels ("le-er", "a-é-re-o") or a stressed weak one ("dí-a", "pa-ís").
      if ((STRONG.has(a) && STRONG.has(b)) || ACCENTED_WEAK.has(a) || ACCENTED_WEAK.has(b)) n += 1;
    }
  }
  return n;
}

/** The words of a Spanish text: runs of letters (accents and ñ included), and numbers. */
export function wordsOfEs(text: string): string[] {
  return text.match(/[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+(?:['’-][A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+)*|\d+(?:[.,]\d+)*/g) ?? [];
}

export interface ReadingEase {
  words: number;
  sentences: number;
  syllables: number;
  /** Words per sentence, on average. */
  wordsPerSentence: number;
  /** The reading ease: higher is easier (Flesch's scale). */
  ease: number;
}

function ease(
  text: string,
  words: (s: string) => string[],
  syllables: (w: string) => number,
  score: (syllablesPerWord: number, wordsPerSentence: number) => number,
): ReadingEase {
  const sentences = sentencesOf(text).filter((s) => words(s).length > 0);
  const all = sentences.flatMap(words);
  if (all.length === 0) return { words: 0, sentences: 0, syllables: 0, wordsPerSentence: 0, ease: 0 };
  // A number is read as one word; count it as one syllable, the lenient side (as readability.ts does).
  const total = all.reduce((n, w) => n + (/^\d/.test(w) ? 1 : syllables(w)), 0);
  const wps = all.length / sentences.length;
  return {
    words: all.length,
    sentences: sentences.length,
    syllables: total,
    wordsPerSentence: wps,
    ease: score(total / all.length, wps),
  };
}

/** rule AUTH-7: Fernández-Huerta's reading ease of Spanish prose (each line at least one sentence). */
export function fernandezHuerta(text: string): ReadingEase {
  return ease(text, wordsOfEs, countSyllablesEs, (spw, wps) => 206.84 - 60 * spw - 1.02 * wps);
}

/** rule AUTH-7: Flesch's reading ease of English prose, with readability.ts's syllable counter. */
export function fleschReadingEase(text: string): ReadingEase {
  return ease(text, wordsOf, countSyllables, (spw, wps) => 206.835 - 84.6 * spw - 1.015 * wps);
}
