/**
 * Reads V8 CPU profiles (`node --cpu-prof`, .cpuprofile JSON) and prints what
 * a reader of the README needs: the functions with the most self time, and
 * the time by stage, a sample going to the first stage (in the order below)
 * whose code is on its stack (bench/profile.ts prints them).
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Stage -> what marks it on a stack (a file's path, or a V8 pseudo frame). */
const STAGES: Array<[string, RegExp]> = [
  ['GC', /^\(garbage collector\)$/],
  ['idle (waiting)', /^\(idle\)$/],
  ['ingest (IMAP, store)', /workers\/ingest\/|workers\/retention\/imap-retention/],
  ['intake', /workers\/intake\/|workflows\/intake-steps/],
  ['review', /workers\/review\/|domain\/programs\//],
  ['transfer', /workers\/transfer\//],
  ['notify: HTML (mjml, juice)', /node_modules\/(mjml|juice|cheerio|htmlparser2|css-select|domutils|html-minifier)/],
  ['notify', /workers\/notify\/|mail\/render|nodemailer|smtp/],
  ['retention, card strip', /workers\/retention\/mail-retention|mail\/card-form-strip|mail\/card-strip/],
  ['sweep, timers', /workers\/followup\//],
  ['BullMQ (queues, workers)', /node_modules\/bullmq/],
  ['ioredis (commands, replies)', /node_modules\/(ioredis|redis-parser|@ioredis)/],
  ['logging (pino)', /node_modules\/(pino|sonic-boom)/],
  ['child pool IPC', /lib\/isolation\/|node:child_process|internal\/child_process/],
  ['PDF read (pdf-lib)', /node_modules\/pdf-lib|forms\/pdf-reader|forms\/revisions/],
  ['MIME parse (mailparser)', /node_modules\/(mailparser|mailsplit|libmime|libqp|libbase64)/],
  ['module loading', /internal\/modules|node:internal\/modules/],
];

export function summarise(path: string, top = 15): string[] {
  const p = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const stage = new Map<string, number>();
  let total = 0;
  const stageOf = new Map<number, string>();
  const stageFor = (id: number): string => {
    const hit = stageOf.get(id);
    if (hit) return hit;
    const frames: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      frames.push(f.url || f.functionName);
    }
    const s = STAGES.find(([, re]) => frames.some((f) => re.test(f)))?.[0] ?? 'other';
    stageOf.set(id, s);
    return s;
  };
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    const n = byId.get(p.samples[i]!)!;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules\/[^/]+|wt-[^/]+\/dist)\//, '$1/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    const s = stageFor(n.id);
    stage.set(s, (stage.get(s) ?? 0) + dt);
    total += dt;
  }
  const busy = total - (stage.get('idle (waiting)') ?? 0);
  const lines = [`${path}: ${(total / 1000).toFixed(1)} s profiled, ${(busy / 1000).toFixed(1)} s on the CPU`];
  lines.push('  by stage (share of CPU time, idle left out):');
  for (const [s, ms] of [...stage].filter(([s]) => s !== 'idle (waiting)').sort((a, b) => b[1] - a[1])) {
    lines.push(
      `    ${s.padEnd(32)}${(ms / 1000).toFixed(2).padStart(7)} s ${((100 * ms) / busy).toFixed(1).padStart(5)} %`,
    );
  }
  lines.push('  top self time:');
  for (const [k, ms] of [...self]
    .filter(([k]) => !k.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)) {
    lines.push(`    ${((100 * ms) / busy).toFixed(1).padStart(5)} %  ${k}`);
  }
  return lines;
}
