// Issue 7: one word for "the practice" in everything a Spanish-speaking requester reads: "la consulta"
// (the natural word for a clinical practice, and the one the portal, the letters, the emails and the
// link page use). This scans the text of every string in the app (the TypeScript syntax tree's string,
// template and JSX text, not comments), so "la práctica" or "el consultorio" for the practice cannot
// come back anywhere. The other senses are left alone: "práctica" as an adjective ("una guía práctica"),
// the plural of "Aviso de prácticas de privacidad", the idiom "en la práctica," and someone else's office
// ("Su organización o consultorio", a recipient's own practice).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { signWords } from './server/portal/sign/words.js';

const SRC = import.meta.dirname;

/** "the practice" said with a word other than "la consulta": a determiner, then the noun, singular. */
const PRACTICA = /\b(?:la|una|esta|esa|su|nuestra|otra)\s+pr[aá]ctica\b/giu;
const CONSULTORIO = /\b(?:el|este|ese|del|al|nuestro)\s+consultorio\b/iu;

function saysThePracticeOtherwise(text: string): boolean {
  for (const m of text.matchAll(PRACTICA)) {
    // The idiom "en la práctica," (in practice) is another sense; "en la práctica" without the comma is a place.
    const idiom =
      /\ben\s$/i.test(text.slice(0, m.index)) && text.slice(m.index + m[0].length).startsWith(',');
    if (!idiom) return true;
  }
  return CONSULTORIO.test(text);
}

/** Every string, template part and JSX text of a source file, with its line. */
function strings(path: string): { line: number; text: string }[] {
  const source = ts.createSourceFile(
    path,
    readFileSync(path, 'utf8'),
    ts.ScriptTarget.Latest,
    false,
    path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const found: { line: number; text: string }[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node) ||
      ts.isJsxText(node)
    ) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push({ line, text: node.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

// Only files with one of the words in them are parsed (parsing all of src takes seconds).
const sources = (readdirSync(SRC, { recursive: true }) as string[])
  .filter((f) => /\.tsx?$/.test(f) && !/\.(test|d)\.tsx?$/.test(f))
  .map((f) => join(SRC, f))
  .filter((path) => /pr[aá]ctica|consult/i.test(readFileSync(path, 'utf8')));

describe('one word for the practice in Spanish (issue 7)', () => {
  it('the check finds the practice said otherwise, and leaves the word’s other senses alone', () => {
    for (const flagged of [
      'Para cambiarlo, escriba a la práctica: lo cancelarán.',
      'La práctica preparará este formulario.',
      'Esta práctica no tiene configurado el pago.',
      'Comuníquese directamente con el consultorio.',
      'Este consultorio no puede enviar códigos.',
      'Recójalos en la práctica de 9 a 5.',
    ]) {
      expect(saysThePracticeOtherwise(flagged), flagged).toBe(true);
    }
    for (const other of [
      'Comuníquese con la consulta.',
      'Una guía práctica para pedir sus expedientes.',
      'Aviso de prácticas de privacidad',
      'En la práctica, tardamos menos de una semana.',
      'Su organización o consultorio',
      'la practicante',
    ]) {
      expect(saysThePracticeOtherwise(other), other).toBe(false);
    }
  });

  it('no string a requester can read calls the practice "la práctica" or "el consultorio": "la consulta" everywhere', () => {
    const read = sources.map((path) => ({ path: relative(SRC, path), strings: strings(path) }));
    // The scan reaches the Spanish word sources (so it cannot pass by reading nothing).
    const consulta = read
      .filter((f) => f.strings.some((s) => /\bla consulta\b/i.test(s.text)))
      .map((f) => f.path);
    for (const path of [
      'web/portal/i18n/es/common.ts',
      'web/portal/i18n/es/sign.ts',
      'web/portal/i18n/es/intake.ts',
      'web/links/words.ts',
      'server/portal/words.ts',
      'server/portal/sign/words.ts',
      'server/letters/denial-letter-es.ts',
      'server/mail/attachment-refusal-es.ts',
    ]) {
      expect(consulta).toContain(path);
    }
    const found = read.flatMap((f) =>
      f.strings.filter((s) => saysThePracticeOtherwise(s.text)).map((s) => `${f.path}:${s.line}: ${s.text}`),
    );
    expect(found).toEqual([]);
    expect(signWords('es').alreadySigned).toContain('escriba a la consulta');
  });
});
