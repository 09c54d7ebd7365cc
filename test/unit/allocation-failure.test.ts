/**
 * DSK-6: a parse child that stops on a failed allocation is answered "too large", however it stops. Under the
 * address-space limit a Buffer the kernel will not map is a RangeError rather than V8's abort, and which one a
 * hostile PDF meets depends on the machine's load; the partner must get the same answer either way.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyDeath } from '../../forms/pdf-read-protocol.js';
import { outOfMemoryDeath } from '../../lib/isolation/fork-child.js';
import { limitedForkOptions } from '../../lib/isolation/memory-limit.js';

const serve = fileURLToPath(new URL('../../dist/lib/isolation/child-serve.js', import.meta.url));

/** Runs `body` in a child under the parse children's address-space limit, after exitQuietlyOnUncaught. */
function childExit(body: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const script = `import(${JSON.stringify(serve)}).then((m) => { m.exitQuietlyOnUncaught(); ${body} });`;
  const { execPath, execArgv } = limitedForkOptions([]);
  return new Promise((resolve) => {
    const child = spawn(execPath, [...execArgv, '--input-type=module', '-e', script], { stdio: 'ignore' });
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
}

describe('a parse child that runs out of memory', () => {
  it('DSK-6 an ArrayBuffer the address-space limit refuses ends the child as out of memory, not as a crash', async () => {
    const died = await childExit('new ArrayBuffer(2 ** 40);');
    expect(outOfMemoryDeath(died.code, died.signal, '')).toBe(true);
    expect(classifyDeath(died.code, died.signal, '')).toMatchObject({ ok: false, error: { code: 'E_PDF_TOO_LARGE' } });
  });

  it('DSK-6 a rejected allocation in a promise is the same; any other throw is still a crash (E_PDF_CORRUPT)', async () => {
    const rejected = await childExit('Promise.resolve().then(() => new Uint8Array(2 ** 31));');
    expect(classifyDeath(rejected.code, rejected.signal, '')).toMatchObject({ error: { code: 'E_PDF_TOO_LARGE' } });
    const thrown = await childExit("throw new Error('not memory');");
    expect(classifyDeath(thrown.code, thrown.signal, '')).toMatchObject({ error: { code: 'E_PDF_CORRUPT' } });
  });

  it('DSK-6 V8 aborting (SIGABRT) or trapping (SIGTRAP) on a failed reservation is out of memory too', () => {
    expect(outOfMemoryDeath(null, 'SIGABRT', '')).toBe(true);
    expect(outOfMemoryDeath(null, 'SIGTRAP', '')).toBe(true);
    expect(outOfMemoryDeath(1, null, 'FATAL ERROR: Reached heap limit Allocation failed')).toBe(true);
    expect(outOfMemoryDeath(null, 'SIGKILL', '')).toBe(false);
  });
});
