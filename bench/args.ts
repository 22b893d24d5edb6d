// The bench's options. The full run is what the report is for; --quick proves the run end to end
// in a few minutes (smaller sizes, shorter windows, fewer sessions).
export interface Args {
  mode: 'quick' | 'full' | 'custom';
  sizes: number[];
  duration: number;
  connections: number;
  sessions: number;
  sessionSeconds: number;
  thinkMs: number;
  startupRuns: number;
  /** Verify the audit chain after seeding: always, up to VERIFY_SMALL_ROWS rows, or never. */
  verify: 'all' | 'small' | 'none';
  profile: boolean;
}

export const VERIFY_SMALL_ROWS = 200_000;

export const USAGE = `npm run bench [-- options]
  --quick               sizes 1000,10000; 3 s per route; 40 sessions for 20 s; 1 start-up run
  --sizes A,B           data sizes in requests (default 1000,100000; ~10 audit rows each)
  --duration N          seconds measured per route (default 10), after a short warm-up
  --connections N       autocannon connections per route (default 10)
  --sessions N          concurrent staff sessions (default 200; 0 skips the phase)
  --session-seconds N   how long the sessions run (default 300)
  --think-ms N          mean think time between a session's actions (default 1000; 0 = none)
  --startup-runs N      start-up runs (default 3)
  --verify all|small|none  verify the audit chain after each seeding step: always, only while it
                        has at most 200,000 rows (default: a million take minutes), or never
  --no-profile          skip the details route's query and CPU profile (diagnostics on stderr)
  --help                this list`;

export function parseArgs(argv: string[]): Args {
  const args: Args = {
    mode: 'full',
    sizes: [1_000, 100_000],
    duration: 10,
    connections: 10,
    sessions: 200,
    sessionSeconds: 300,
    thinkMs: 1000,
    startupRuns: 3,
    verify: 'small',
    profile: true,
  };
  let custom = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (allowZero = false) => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
        throw new Error(`${a} needs a ${allowZero ? 'non-negative' : 'positive'} number\n${USAGE}`);
      }
      custom = true;
      return v;
    };
    if (a === '--quick') {
      Object.assign(args, {
        mode: 'quick',
        sizes: [1_000, 10_000],
        duration: 3,
        sessions: 40,
        sessionSeconds: 20,
        startupRuns: 1,
      });
    } else if (a === '--sizes') {
      const raw = argv[++i] ?? '';
      const sizes = raw.split(',').map(Number);
      if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
        throw new Error(`--sizes needs whole numbers like 1000,100000 (got '${raw}')\n${USAGE}`);
      }
      args.sizes = [...sizes].sort((x, y) => x - y);
      custom = true;
    } else if (a === '--duration') args.duration = next();
    else if (a === '--connections') args.connections = Math.round(next());
    else if (a === '--sessions') args.sessions = Math.round(next(true));
    else if (a === '--session-seconds') args.sessionSeconds = next();
    else if (a === '--think-ms') args.thinkMs = next(true);
    else if (a === '--startup-runs') args.startupRuns = Math.round(next());
    else if (a === '--verify') {
      const v = argv[++i];
      if (v !== 'all' && v !== 'small' && v !== 'none')
        throw new Error(`--verify needs all, small or none\n${USAGE}`);
      args.verify = v;
      custom = true;
    } else if (a === '--no-profile') args.profile = false;
    else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  if (custom) args.mode = args.mode === 'quick' ? 'quick' : 'custom';
  return args;
}
