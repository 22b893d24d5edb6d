// fast-check arbitraries built from a route's zod schema (through its JSON Schema, as OpenAPI sees
// it): a value the schema accepts, and the same value mutated the ways an attacker or a broken
// client would (wrong types, missing and extra fields, huge and empty values, odd Unicode,
// prototype-pollution keys). Values are JSON text, so `__proto__` survives as a real key.
import fc from 'fast-check';
import type { ZodType } from 'zod';
import { z } from 'zod';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = Record<string, unknown>;
/** Real values for properties of these names (ids of rows that exist), used most of the time. */
export type Hints = Record<string, Json[]>;

/** The property a polluted prototype would show; checked after every batch. */
export const POLLUTION_MARK = 'fuzzPolluted';

/** Strings that have broken parsers, databases, PDFs and log lines before. */
export const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202eevil\u202c',
  '\u200b\u200d\ufeff',
  'e\u0301\u0301\u0301',
  '𝕏🧨👩‍👩‍👧',
  'x'.repeat(10_000),
  '💥'.repeat(5_000),
  "'; drop table requests; --",
  '%00%2e%2e%2f',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '=cmd|"/c calc"!A1',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, literally
  '${7*7}{{7*7}}',
  '\r\nX-Injected: 1',
  '-1',
  '1e309',
  'NaN',
  'null',
  '[]',
  '{}',
  '__proto__',
  'constructor',
];

const WRONG_TYPES: readonly Json[] = [
  null,
  true,
  0,
  -1,
  1e308,
  -0.5,
  2 ** 53 + 1,
  '',
  'x'.repeat(10_000),
  [],
  [null],
  {},
  { $ne: null },
  { [POLLUTION_MARK]: true },
];

export function jsonSchemaOf(schema: ZodType): Schema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;
}

const uuid = fc.uuid({ version: 4 });
const date = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const dateTime = fc
  .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString());
const email = fc.constantFrom('a@example.test', 'someone.else@practice.test', 'x+y@example.org');

function stringArb(s: Schema): fc.Arbitrary<string> {
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = Math.min(typeof s.maxLength === 'number' ? s.maxLength : 60, Math.max(min, 60));
  switch (s.format) {
    case 'uuid':
      return uuid;
    case 'date':
      return date;
    case 'date-time':
      return dateTime;
    case 'email':
      return email;
  }
  if (typeof s.pattern === 'string') {
    try {
      return fc
        .stringMatching(new RegExp(s.pattern))
        .filter((v) => v.length >= min && v.length <= ((s.maxLength as number | undefined) ?? 1e9));
    } catch {
      // a pattern JavaScript cannot compile falls through to plain text
    }
  }
  return fc.string({ minLength: min, maxLength: max, unit: 'grapheme' });
}

/** A value the JSON Schema describes (close enough that most pass zod and reach the handler). */
export function valid(s: Schema, depth = 0, hints: Hints = {}): fc.Arbitrary<Json> {
  if (depth > 6) return fc.constant(null);
  if ('const' in s) return fc.constant(s.const as Json);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as Json[]));
  const alts = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (Array.isArray(alts) && alts.length > 0) return fc.oneof(...alts.map((a) => valid(a, depth + 1, hints)));
  if (Array.isArray(s.allOf) && s.allOf.length > 0) return valid(s.allOf[0] as Schema, depth + 1, hints);
  const type = Array.isArray(s.type) ? (s.type as string[]) : s.type ? [s.type as string] : [];
  if (type.length > 1) return fc.oneof(...type.map((t) => valid({ ...s, type: t }, depth + 1, hints)));
  switch (type[0]) {
    case 'string':
      return stringArb(s);
    case 'integer':
      return fc.integer({
        min: typeof s.minimum === 'number' ? s.minimum : -1000,
        max: typeof s.maximum === 'number' ? s.maximum : 100_000,
      });
    case 'number':
      return fc.double({
        min: typeof s.minimum === 'number' ? s.minimum : -1000,
        max: typeof s.maximum === 'number' ? s.maximum : 100_000,
        noNaN: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = (s.items as Schema | undefined) ?? {};
      return fc.array(valid(items, depth + 1, hints), {
        minLength: typeof s.minItems === 'number' ? s.minItems : 0,
        maxLength: Math.min(typeof s.maxItems === 'number' ? s.maxItems : 4, 6),
      });
    }
    case 'object': {
      const props = (s.properties as Record<string, Schema> | undefined) ?? {};
      const required = new Set((s.required as string[] | undefined) ?? []);
      const record: Record<string, fc.Arbitrary<Json>> = {};
      for (const [k, v] of Object.entries(props)) {
        const real = hints[k];
        const generated = valid(v, depth + 1, hints);
        // A real id where the schema wants one of its kind, so the body gets past "not found".
        record[k] = real?.length
          ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: generated })
          : generated;
      }
      return fc.record(record, {
        requiredKeys: [...required].filter((k) => k in props),
      }) as fc.Arbitrary<Json>;
    }
    default:
      return fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null));
  }
}

const oddString = fc.oneof(fc.constantFrom(...ODD_STRINGS), fc.string({ unit: 'binary', maxLength: 80 }));
const wrongType = fc.oneof(fc.constantFrom(...WRONG_TYPES), oddString);

/** Paths of an object value down to its leaves, to pick one to break. */
function paths(v: Json, prefix: string[] = [], out: string[][] = []): string[][] {
  if (v && typeof v === 'object') {
    for (const [k, c] of Object.entries(v)) {
      out.push([...prefix, k]);
      if (prefix.length < 4) paths(c, [...prefix, k], out);
    }
  }
  return out;
}

function clone(v: Json): Json {
  return JSON.parse(JSON.stringify(v)) as Json;
}

function setAt(root: Json, path: string[], fn: (parent: Record<string, Json>, key: string) => void): Json {
  if (path.length === 0) return root;
  const copy = clone(root);
  let node = copy as Record<string, Json>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string, Json>;
  fn(node, path[path.length - 1] as string);
  return copy;
}

export type Mutation =
  | 'valid'
  | 'wrong_type'
  | 'missing'
  | 'extra'
  | 'odd_string'
  | 'huge'
  | 'empty'
  | 'pollute'
  | 'replace_whole';

/** The body as JSON text: the schema's value, mutated one way (or left valid). */
export function bodyText(s: Schema, hints: Hints = {}): fc.Arbitrary<{ mutation: Mutation; text: string }> {
  return fc
    .tuple(
      valid(s, 0, hints),
      fc.constantFrom<Mutation>(
        'valid',
        'valid',
        'wrong_type',
        'missing',
        'extra',
        'odd_string',
        'huge',
        'empty',
        'pollute',
        'replace_whole',
      ),
      fc.nat(),
      wrongType,
      oddString,
    )
    .map(([value, mutation, pick, wrong, odd]) => ({
      mutation,
      text: mutate(value, mutation, pick, wrong, odd),
    }));
}

function mutate(value: Json, mutation: Mutation, pick: number, wrong: Json, odd: string): string {
  const ps = paths(value);
  const at = ps.length > 0 ? (ps[pick % ps.length] as string[]) : [];
  switch (mutation) {
    case 'valid':
      return JSON.stringify(value);
    case 'wrong_type':
      return JSON.stringify(at.length ? setAt(value, at, (p, k) => (p[k] = wrong)) : wrong);
    case 'missing':
      return JSON.stringify(at.length ? setAt(value, at, (p, k) => delete p[k]) : {});
    case 'extra':
      return JSON.stringify(
        value && typeof value === 'object' && !Array.isArray(value)
          ? { ...value, unexpected: odd, isAdmin: true, practiceId: '00000000-0000-4000-8000-000000000000' }
          : value,
      );
    case 'odd_string':
      return JSON.stringify(at.length ? setAt(value, at, (p, k) => (p[k] = odd)) : odd);
    case 'huge':
      return JSON.stringify(
        at.length
          ? setAt(value, at, (p, k) => (p[k] = typeof p[k] === 'number' ? 1e300 : 'x'.repeat(200_000)))
          : value,
      );
    case 'empty':
      return pick % 3 === 0
        ? ''
        : pick % 3 === 1
          ? '{}'
          : JSON.stringify(at.length ? setAt(value, at, (p, k) => (p[k] = '')) : '');
    case 'pollute': {
      const payload = `{"${POLLUTION_MARK}":true}`;
      const inner = JSON.stringify(value ?? {});
      const obj = inner.startsWith('{') && inner !== '{}' ? inner.slice(1, -1) : '';
      const keys = [`"__proto__":${payload}`, `"constructor":{"prototype":${payload}}`];
      const key = keys[pick % keys.length] as string;
      return `{${obj ? `${obj},` : ''}${key}}`;
    }
    case 'replace_whole':
      return JSON.stringify(wrong);
  }
}

/** A query string from the schema's object, mutated like a body (values as text). */
export function queryText(s: Schema): fc.Arbitrary<string> {
  return fc.tuple(valid(s), fc.nat(), oddString).map(([value, pick, odd]) => {
    const params = new URLSearchParams();
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value))
        params.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    }
    const entries = [...params.keys()];
    switch (pick % 6) {
      case 1:
        if (entries.length) params.set(entries[pick % entries.length] as string, odd);
        break;
      case 2:
        params.append('__proto__[fuzzPolluted]', 'true');
        params.append('constructor[prototype][fuzzPolluted]', 'true');
        break;
      case 3:
        if (entries.length) params.append(entries[0] as string, odd); // the same key twice: an array
        break;
      case 4:
        params.append('limit', '-1');
        params.append('offset', '99999999999999999999');
        break;
    }
    return params.toString();
  });
}

/** A path parameter: usually the real one given, otherwise something it should refuse. */
export function paramValue(real: string | undefined): fc.Arbitrary<string> {
  const bad = fc.oneof(
    fc.constantFrom(...ODD_STRINGS.filter((v) => v.length > 0 && v.length < 200)),
    uuid,
    fc.constantFrom('00000000-0000-0000-0000-000000000000', '1', 'NaN', '%', '..', 'x'.repeat(3000)),
  );
  return real === undefined
    ? bad
    : fc.oneof({ weight: 3, arbitrary: fc.constant(real) }, { weight: 2, arbitrary: bad });
}
