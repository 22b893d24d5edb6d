// rule AUTH-7: "plain language" made measurable. The Flesch–Kincaid grade level of English prose:
//   0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59
// with a small syllable counter (vowel groups, less a silent final e and the usual -es / -ed
// endings). A heuristic, like every syllable counter without a dictionary: good to a syllable on most
// words, which is plenty for a grade level. Pure; no dependencies.

const VOWEL_GROUP = /[aeiouy]+/g;

/** Syllables of one English word (at least 1 for any word with a letter). */
export function countSyllables(word: string): number {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length === 0) return 0;
  if (w.length <= 3) return 1;
  if (/[^td]ed$/.test(w)) {
    // "signed", "used", "agreed": the -ed is not a syllable (it is after t or d: "needed").
    w = w.slice(0, -2);
  } else if (/[^aeiouylsxzcgh]es$/.test(w)) {
    // "notes", "dates": silent; "copies", "releases", "uses" keep theirs.
    w = w.slice(0, -2);
  } else if (/[^e]e$/.test(w) && !/[^aeiouy]le$/.test(w)) {
    // A silent final e ("revoke", "share", "sale"), but not "agree" or the -le of "people", "table".
    w = w.slice(0, -1);
  }
  // A leading y is a consonant ("you", "year").
  w = w.replace(/^y/, '');
  const groups = w.match(VOWEL_GROUP)?.length ?? 0;
  return Math.max(1, groups);
}

/** The words of a text: runs of letters (with inner apostrophes and hyphens), and numbers. */
export function wordsOf(text: string): string[] {
  return text.match(/[A-Za-z]+(?:['’-][A-Za-z]+)*|\d+(?:[.,]\d+)*/g) ?? [];
}

/** Sentences end with . ! ? or : before a space or the end; a line without one ends one too. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => wordsOf(s).length > 0);
}

export interface Readability {
  words: number;
  sentences: number;
  syllables: number;
  /** The Flesch–Kincaid grade level (a US school grade). */
  grade: number;
}

/** rule AUTH-7: the Flesch–Kincaid grade of the text (each line is at least one sentence). */
export function fleschKincaid(text: string): Readability {
  const sentences = sentencesOf(text);
  const words = sentences.flatMap(wordsOf);
  if (words.length === 0) return { words: 0, sentences: 0, syllables: 0, grade: 0 };
  // A number is read as one word of one or two syllables; count it as one, the lenient side.
  const syllables = words.reduce((n, w) => n + (/^\d/.test(w) ? 1 : countSyllables(w)), 0);
  const grade = 0.39 * (words.length / sentences.length) + 11.8 * (syllables / words.length) - 15.59;
  return { words: words.length, sentences: sentences.length, syllables, grade };
}
