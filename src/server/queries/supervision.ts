import { sql } from 'drizzle-orm';
import type { Db } from '../db/connect.js';

/** Everyone above `userId` in their supervision chain, nearest first. */
export async function supervisorChain(tx: Db, userId: string): Promise<string[]> {
  const res = await tx.execute<{ id: string }>(sql`
    with recursive up(id, depth) as (
      select supervisor_id, 1 from supervision_links where supervisee_id = ${userId}
      union all
      select s.supervisor_id, up.depth + 1 from supervision_links s join up on s.supervisee_id = up.id
      where up.depth < 50
    )
    select id from up order by depth`);
  return res.rows.map((r) => r.id);
}

/** Everyone below `userId` in the supervision chains (any depth). */
export async function superviseesOf(tx: Db, userId: string): Promise<string[]> {
  const res = await tx.execute<{ id: string }>(sql`
    with recursive down(id, depth) as (
      select supervisee_id, 1 from supervision_links where supervisor_id = ${userId}
      union all
      select s.supervisee_id, down.depth + 1 from supervision_links s join down on s.supervisor_id = down.id
      where down.depth < 50
    )
    select id from down`);
  return res.rows.map((r) => r.id);
}
