// What every section of the report states about the machine: cores, memory, and the load average
// when the section started and ended (the machine is shared; other work skews every figure).
import os from 'node:os';

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  os: string;
  node: string;
}

/** Load average over 1, 5 and 15 minutes. */
export type LoadAvg = [number, number, number];

export interface Window {
  loadStart: LoadAvg;
  loadEnd: LoadAvg;
  seconds: number;
}

export const SHARED_NOTE =
  'This machine is shared with about 7 other engineers running tests: compare ratios within one run, not absolute figures across runs.';

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.platform()} ${os.release()}`,
    node: process.version,
  };
}

export function loadAvg(): LoadAvg {
  const [a = 0, b = 0, c = 0] = os.loadavg();
  return [a, b, c];
}

export const fmtLoad = (l: LoadAvg) => l.map((x) => x.toFixed(2)).join(' / ');

/** Run fn and record the load average around it. */
export async function windowed<T>(fn: () => Promise<T>): Promise<{ value: T; window: Window }> {
  const loadStart = loadAvg();
  const t0 = performance.now();
  const value = await fn();
  return { value, window: { loadStart, loadEnd: loadAvg(), seconds: (performance.now() - t0) / 1000 } };
}
