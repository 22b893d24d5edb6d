// Line breaking for the letters: words are kept whole where they fit; a word longer than the line
// (a URL, a long reference) is cut so nothing ever runs off the page.
export interface Measure {
  widthOfTextAtSize(text: string, size: number): number;
}

export function wrapText(font: Measure, size: number, text: string, maxWidth: number): string[] {
  const lines: string[] = [];
  for (const paragraphLine of text.split('\n')) {
    const words = paragraphLine.split(/\s+/).filter(Boolean);
    if (words.length === 0) {
      lines.push('');
      continue;
    }
    let line = '';
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= maxWidth) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > maxWidth) {
        const cut = longestFittingPrefix(font, size, rest, maxWidth);
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

function longestFittingPrefix(font: Measure, size: number, word: string, maxWidth: number): number {
  const chars = Array.from(word);
  let fit = 1;
  for (let n = 1; n <= chars.length; n++) {
    if (font.widthOfTextAtSize(chars.slice(0, n).join(''), size) > maxWidth) break;
    fit = n;
  }
  return chars.slice(0, fit).join('').length;
}
