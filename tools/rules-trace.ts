// `npm run rules:trace`: for every rule ID in the practice's rulebook (../shared/domain/compliance.md),
// the source files that name it and the test titles that name it. Exits non-zero when a rule has no
// test (issue 3: every rule enforced in code that names it and proven by a test whose title does).
// `--allow-missing` reports the gaps but exits 0 (for a local run while a rule is being built; CI never passes it).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const RULEBOOK = process.env.RELEASE_DESK_RULEBOOK ?? path.resolve(ROOT, '../shared/domain/compliance.md');

export interface Rule {
  id: string;
  tag: string;
}

export function parseRules(markdown: string): Rule[] {
  const rules: Rule[] = [];
  for (const line of markdown.split('\n')) {
    const m = /^- ([A-Z][A-Z0-9]*-\d+)\b[^[]*\[([^\]]+)\]/.exec(line);
    if (m) rules.push({ id: m[1]!, tag: m[2]! });
  }
  return rules;
}

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.(ts|tsx)$/.test(name)) out.push(full);
  }
  return out;
}

const TITLE_AFTER_CALL =
  /\b(?:it|test|describe)(?:\.(?:each|skip|only|concurrent|sequential))?\s*\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;
// it.each(table)('title', …): the title follows the table's closing parenthesis.
const TITLE_AFTER_TABLE = /\)\s*\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1\s*,\s*(?:async\s*)?(?:\(|function)/g;

export function testTitles(source: string): string[] {
  const titles: string[] = [];
  for (const re of [TITLE_AFTER_CALL, TITLE_AFTER_TABLE]) {
    re.lastIndex = 0;
    for (let m = re.exec(source); m; m = re.exec(source)) titles.push(m[2]!);
  }
  return [...new Set(titles)];
}

export function mentions(text: string, id: string): boolean {
  return new RegExp(`(^|[^A-Z0-9-])${id.replace('-', '\\-')}(?![0-9])`).test(text);
}

export interface Trace {
  rule: Rule;
  code: string[];
  tests: { file: string; title: string }[];
}

export function trace(rules: Rule[], root: string): Trace[] {
  const files = [...walk(path.join(root, 'src')), ...walk(path.join(root, 'test'))];
  const isTest = (f: string) => f.endsWith('.test.ts') || f.endsWith('.test.tsx');
  const code = files
    .filter((f) => !isTest(f) && !f.includes(`${path.sep}test${path.sep}`))
    .map((f) => ({ f, text: readFileSync(f, 'utf8') }));
  const tests = files.filter(isTest).map((f) => ({ f, titles: testTitles(readFileSync(f, 'utf8')) }));
  return rules.map((rule) => ({
    rule,
    code: code.filter((c) => mentions(c.text, rule.id)).map((c) => path.relative(root, c.f)),
    tests: tests.flatMap((t) =>
      t.titles
        .filter((title) => mentions(title, rule.id))
        .map((title) => ({ file: path.relative(root, t.f), title })),
    ),
  }));
}

function main(): void {
  const allowMissing = process.argv.includes('--allow-missing');
  const verbose = process.argv.includes('--verbose');
  if (!existsSync(RULEBOOK)) {
    console.error(`rules:trace: the rulebook is not at ${RULEBOOK} (set RELEASE_DESK_RULEBOOK).`);
    process.exit(2);
  }
  const rules = parseRules(readFileSync(RULEBOOK, 'utf8'));
  const traces = trace(rules, ROOT);
  const width = Math.max(...rules.map((r) => r.id.length));
  console.log(`Rules in ${path.relative(ROOT, RULEBOOK)}: ${rules.length}\n`);
  console.log(`${'rule'.padEnd(width)}  ${'tag'.padEnd(17)}  code files  tests  first test`);
  for (const t of traces) {
    const first = t.tests[0] ? `${t.tests[0].file}: ${t.tests[0].title}` : '— none —';
    console.log(
      `${t.rule.id.padEnd(width)}  ${t.rule.tag.padEnd(17)}  ${String(t.code.length).padStart(10)}  ${String(t.tests.length).padStart(5)}  ${first.slice(0, 110)}`,
    );
    if (verbose) {
      for (const f of t.code) console.log(`${' '.repeat(width + 2)}code: ${f}`);
      for (const x of t.tests) console.log(`${' '.repeat(width + 2)}test: ${x.file}: ${x.title}`);
    }
  }
  const untested = traces.filter((t) => t.tests.length === 0).map((t) => t.rule.id);
  const uncoded = traces.filter((t) => t.code.length === 0).map((t) => t.rule.id);
  console.log(
    `\n${rules.length - untested.length} of ${rules.length} rules have a test naming them; ${rules.length - uncoded.length} are named in code.`,
  );
  if (untested.length > 0) console.log(`No test yet: ${untested.join(', ')}`);
  if (uncoded.length > 0) console.log(`Not named in code yet: ${uncoded.join(', ')}`);
  if (untested.length > 0 && !allowMissing) process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
