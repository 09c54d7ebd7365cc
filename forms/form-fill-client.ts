/**
 * The forms the desk mails (pre-filled replies, blank forms) made off the
 * event loop: pdf-lib held the desk's loop for 260 ms while an incomplete
 * reply's forms were filled (the loop never blocks over 100 ms).
 * One worker thread, started on first use and unreferenced when idle so it
 * never keeps a process alive; a thread that dies is replaced and its
 * requests fail (the notify job retries).
 */
import { OffLoopThread } from '../lib/isolation/off-loop-thread.js';
import type { FillRequest } from './form-fill-thread.js';
import type { FormId } from './types.js';

const filler = new OffLoopThread<{ id: number; bytes?: Uint8Array; error?: string }, Uint8Array>({
  scripts: [
    new URL('./form-fill-thread.js', import.meta.url),
    new URL('../dist/forms/form-fill-thread.js', import.meta.url),
  ],
  name: 'form filler',
  result: (m) => (m.bytes ? new Uint8Array(m.bytes) : new Error(`filling a form failed: ${m.error ?? 'no result'}`)),
});

const ask = (formId: FormId, values?: Record<string, string | boolean>): Promise<Uint8Array> =>
  filler.ask({ formId, values } satisfies Omit<FillRequest, 'id'>);

/** `formId` filled with `values` (docs/forms.md field names). */
export const fillFormOffLoop = (formId: FormId, values: Record<string, string | boolean>): Promise<Uint8Array> =>
  ask(formId, values);

/** The blank `formId`. */
export const blankFormOffLoop = (formId: FormId): Promise<Uint8Array> => ask(formId);

/** Ends the thread (a process that drains). */
export const closeFormFiller = (): Promise<void> => filler.close();
