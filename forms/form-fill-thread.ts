/**
 * Worker-thread entry for forms/form-fill-client.ts: fills (or writes blank) the
 * desk's forms with pdf-lib, whose load, field appearances and deflate take
 * tens to hundreds of milliseconds of CPU a form. Input is the desk's own
 * blank forms and values it already holds, never partner PDFs, so a thread
 * (with its own heap limit) is enough isolation.
 */
import { parentPort } from 'node:worker_threads';
import { blankFormBytes } from './blank-writer.js';
import { fillForm } from './form-filler.js';
import type { FormId } from './types.js';

export interface FillRequest {
  id: number;
  formId: FormId;
  /** Undefined: the blank form. */
  values?: Record<string, string | boolean>;
}

parentPort?.on('message', (req: FillRequest) => {
  const work = req.values ? fillForm(req.formId, req.values) : blankFormBytes(req.formId);
  work.then(
    (bytes) => parentPort?.postMessage({ id: req.id, bytes }, [bytes.buffer as ArrayBuffer]),
    (err: unknown) => parentPort?.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
