/**
 * An operating-system memory limit for the processes that parse partner
 * input (PDF and MIME children). V8's --max-old-space-size caps only the JS
 * heap; inflated streams and Buffers live outside it, so a 0.6 MB PDF could
 * take a child to gigabytes. An address-space limit (RLIMIT_AS, set by
 * util-linux `prlimit` before it execs node, so the pid stays the same) holds
 * for every byte the child maps, heap or not, and for any qpdf it runs.
 *
 * RLIMIT_AS counts virtual memory, and an idle Node 20 child already maps
 * about 730 MB (code range, heap reservations, thread stacks); the limit is
 * therefore that baseline plus what a parse may really use, and a child's
 * resident memory can never pass it. No cgroup is used: cgroup v2 is not
 * writable on every host the desk runs on, setrlimit is.
 */
import { existsSync } from 'node:fs';

/** Default address-space limit of a parse child, in MiB (about 800 MB usable beyond Node's own mappings). */
export const DEFAULT_PARSE_CHILD_MEMORY_MB = 1536;
/** Below this Node cannot start at all (it fails reserving its code range). */
export const MIN_PARSE_CHILD_MEMORY_MB = 1024;

const PRLIMIT_PATHS = ['/usr/bin/prlimit', '/bin/prlimit'];

let limitMb = DEFAULT_PARSE_CHILD_MEMORY_MB;

/** Sets the limit used for children forked from now on (configuration: LICENSEDESK_PARSE_CHILD_MEMORY_MB). */
export function setParseChildMemoryMb(mb: number): void {
  if (!Number.isInteger(mb) || mb < MIN_PARSE_CHILD_MEMORY_MB)
    throw new RangeError(
      `parse child memory limit must be an integer of at least ${MIN_PARSE_CHILD_MEMORY_MB} MiB (got ${mb})`,
    );
  limitMb = mb;
}

export function parseChildMemoryMb(): number {
  return limitMb;
}

/** The prlimit binary (util-linux), or undefined when the host has none. */
export function prlimitPath(): string | undefined {
  return PRLIMIT_PATHS.find((p) => existsSync(p));
}

/**
 * `fork` options that start `node <execArgv> script` under the address-space
 * limit: node is exec'd by prlimit, which keeps the IPC channel (an inherited
 * fd named in the environment fork sets). Throws when prlimit is missing:
 * parsing hostile input without the limit is not an option.
 */
export function limitedForkOptions(execArgv: string[]): { execPath: string; execArgv: string[] } {
  const prlimit = prlimitPath();
  if (!prlimit)
    throw new Error('prlimit (util-linux) is not installed: parse children cannot be given their memory limit');
  const bytes = limitMb * 1024 * 1024;
  return { execPath: prlimit, execArgv: [`--as=${bytes}:${bytes}`, '--', process.execPath, ...execArgv] };
}
