// A CPU profile of this process's main thread (where the app runs; the load generator is in a
// worker thread) while a function runs, summed by self time per package or source file.
import { Session } from 'node:inspector/promises';

export interface CpuShare {
  name: string;
  ms: number;
}

export interface CpuProfile {
  /** Sampled time, idle included. */
  totalMs: number;
  idleMs: number;
  byPlace: CpuShare[];
  byFunction: CpuShare[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

/** node_modules/<pkg> (scoped too), src/<path>, node internals, or V8's own buckets. */
export function placeOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm?.[1]) return nm[1];
  const src = /\/(src\/.*|bench\/.*)$/.exec(url);
  if (src?.[1]) return src[1].replace(/\?.*$/, '');
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

function top(map: Map<string, number>, n: number): CpuShare[] {
  return [...map.entries()]
    .map(([name, ms]) => ({ name, ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, n);
}

export async function cpuProfile<T>(fn: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    let out: { value: T } | { error: unknown };
    try {
      out = { value: await fn() };
    } catch (error) {
      out = { error };
    }
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    if ('error' in out) throw out.error;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const places = new Map<string, number>();
    const fns = new Map<string, number>();
    let totalMs = 0;
    let idleMs = 0;
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      const node = byId.get(samples[i]!);
      const ms = (deltas[i + 1] ?? 0) / 1000;
      if (!node) continue;
      totalMs += ms;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)') {
        idleMs += ms;
        continue;
      }
      const place = placeOf(url, functionName);
      places.set(place, (places.get(place) ?? 0) + ms);
      const label = `${functionName || '(anonymous)'} ${place}${url ? `:${lineNumber + 1}` : ''}`;
      fns.set(label, (fns.get(label) ?? 0) + ms);
    }
    return {
      result: out.value,
      profile: { totalMs, idleMs, byPlace: top(places, 14), byFunction: top(fns, 14) },
    };
  } finally {
    await session.post('Profiler.disable').catch(() => {});
    session.disconnect();
  }
}
