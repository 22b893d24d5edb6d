// The application's tables as the database describes them (not a hand-kept list, so a table added
// by a later migration is backed up too), in an order where every table comes after the tables its
// foreign keys point to.
import type pg from 'pg';

/** drizzle-kit's bookkeeping; it lives in the "drizzle" schema, but never back it up if moved. */
const SKIPPED = new Set(['__drizzle_migrations']);

export interface Column {
  name: string;
  /** The type as SQL spells it (format_type), e.g. "timestamp with time zone", "text[]". */
  type: string;
  bytea: boolean;
  generated: boolean;
  /** The sequence behind a serial or identity column. */
  sequence: string | null;
}

export interface Table {
  name: string;
  columns: Column[];
  primaryKey: string[];
  /** Other tables this one references. */
  parents: string[];
}

export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const qualified = (table: string): string => `public.${ident(table)}`;

/** Every application table in the public schema, parents before children. */
export async function readCatalog(client: pg.PoolClient): Promise<Table[]> {
  const { rows: tables } = await client.query<{ oid: number; name: string }>(
    `select c.oid::int as oid, c.relname as name from pg_class c
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
      order by c.relname`,
  );
  const kept = tables.filter((t) => !SKIPPED.has(t.name));
  const oids = kept.map((t) => t.oid);
  const { rows: columns } = await client.query<{ oid: number } & Column>(
    `select a.attrelid::int as oid, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
            a.atttypid = 'bytea'::regtype as bytea, a.attgenerated <> '' as generated,
            pg_get_serial_sequence(format('public.%I', c.relname), a.attname) as sequence
       from pg_attribute a join pg_class c on c.oid = a.attrelid
      where a.attrelid = any($1::oid[]) and a.attnum > 0 and not a.attisdropped
      order by a.attrelid, a.attnum`,
    [oids],
  );
  const { rows: keys } = await client.query<{ oid: number; cols: string[] }>(
    `select k.conrelid::int as oid,
            array(select a.attname from unnest(k.conkey) with ordinality u(n, o)
                    join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.o)::text[] as cols
       from pg_constraint k where k.contype = 'p' and k.conrelid = any($1::oid[])`,
    [oids],
  );
  const { rows: refs } = await client.query<{ child: number; parent: number }>(
    `select distinct conrelid::int as child, confrelid::int as parent from pg_constraint
      where contype = 'f' and conrelid = any($1::oid[]) and confrelid = any($1::oid[])`,
    [oids],
  );
  const nameOf = new Map(kept.map((t) => [t.oid, t.name]));
  const list: Table[] = kept.map((t) => ({
    name: t.name,
    columns: columns
      .filter((c) => c.oid === t.oid)
      .map(({ name, type, bytea, generated, sequence }) => ({ name, type, bytea, generated, sequence })),
    primaryKey: keys.find((k) => k.oid === t.oid)?.cols ?? [],
    parents: refs
      .filter((r) => r.child === t.oid && r.parent !== t.oid)
      .map((r) => nameOf.get(r.parent)!)
      .sort(),
  }));
  return parentsFirst(list);
}

/** Kahn's algorithm, alphabetical among equals; tables in a reference cycle go last. */
export function parentsFirst(tables: Table[]): Table[] {
  const done = new Set<string>();
  const out: Table[] = [];
  let pending = [...tables].sort((a, b) => (a.name < b.name ? -1 : 1));
  while (pending.length > 0) {
    const ready = pending.filter((t) => t.parents.every((p) => done.has(p)));
    if (ready.length === 0) {
      out.push(...pending);
      break;
    }
    for (const t of ready) {
      done.add(t.name);
      out.push(t);
    }
    pending = pending.filter((t) => !done.has(t.name));
  }
  return out;
}
