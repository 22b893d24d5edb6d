// Memory from /proc: the RSS of the app's process, and of the embedded PostgreSQL (the postmaster
// and every backend and helper it forked). RSS counts shared memory (shared_buffers) once per
// process that touched it, so the sum over-counts; PSS (from smaps_rollup) shares those pages out
// and is printed beside it when /proc lets us read it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface MemorySample {
  appRssMiB: number;
  pgRssMiB: number;
  /** null when smaps_rollup is not readable (not root, not the postgres user). */
  pgPssMiB: number | null;
  pgProcesses: number;
}

const kib = (text: string, field: string): number | null => {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) : null;
};

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

export function postgresPids(clusterDir: string): number[] {
  const pidFile = read(path.join(clusterDir, 'postmaster.pid'));
  const postmaster = Number(pidFile?.split('\n')[0]);
  if (!Number.isInteger(postmaster) || postmaster <= 0) return [];
  const pids = [postmaster];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : Number.NaN;
    if (ppid === postmaster) pids.push(Number(entry));
  }
  return pids;
}

export function sampleMemory(appPid: number, clusterDir: string | null): MemorySample {
  const appRss = kib(read(`/proc/${appPid}/status`) ?? '', 'VmRSS') ?? 0;
  let rss = 0;
  let pss = 0;
  let pssRead = 0;
  const pids = clusterDir ? postgresPids(clusterDir) : [];
  for (const pid of pids) {
    const status = read(`/proc/${pid}/status`);
    const smaps = read(`/proc/${pid}/smaps_rollup`);
    // A backend that exited between the listing and the read is simply gone.
    if (status === null && smaps === null) continue;
    rss += kib(status ?? '', 'VmRSS') ?? 0;
    // A backend starting or exiting can answer status but not smaps: it is left out of the PSS.
    const p = kib(smaps ?? '', 'Pss');
    if (p !== null) {
      pss += p;
      pssRead += 1;
    }
  }
  return {
    appRssMiB: appRss / 1024,
    pgRssMiB: rss / 1024,
    pgPssMiB: pssRead === 0 && pids.length > 0 ? null : pss / 1024,
    pgProcesses: pids.length,
  };
}

export interface MemoryUnderLoad {
  samples: number;
  peak: MemorySample;
  mean: MemorySample;
}

/** Sample every `everyMs` until stopped; peak and mean of each figure. */
export function memorySampler(appPid: number, clusterDir: string | null, everyMs = 2000) {
  const samples: MemorySample[] = [];
  const take = () => samples.push(sampleMemory(appPid, clusterDir));
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop(): MemoryUnderLoad {
      clearInterval(timer);
      take();
      const pick = (f: (s: MemorySample) => number | null, how: 'max' | 'mean') => {
        const ns = samples.map(f).filter((x): x is number => x !== null);
        if (ns.length === 0) return null;
        return how === 'max' ? Math.max(...ns) : ns.reduce((a, b) => a + b, 0) / ns.length;
      };
      const agg = (how: 'max' | 'mean'): MemorySample => ({
        appRssMiB: pick((s) => s.appRssMiB, how) ?? 0,
        pgRssMiB: pick((s) => s.pgRssMiB, how) ?? 0,
        pgPssMiB: pick((s) => s.pgPssMiB, how),
        pgProcesses: pick((s) => s.pgProcesses, how) ?? 0,
      });
      return { samples: samples.length, peak: agg('max'), mean: agg('mean') };
    },
  };
}
