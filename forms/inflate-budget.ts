/**
 * A counted budget for the bytes pdf-lib inflates while one PDF is read.
 * Every filter pdf-lib decodes (Flate, LZW, ASCII85, …) grows its output
 * through DecodeStream.ensureBuffer; a compression bomb (a few hundred KB
 * that inflate to gigabytes) grows it without end, outside the V8 heap that
 * --max-old-space-size caps. Counting that growth lets the reader stop at
 * the budget and say "too large" instead of running into the child's OS
 * memory limit (lib/isolation/memory-limit.ts), where pdf-lib would swallow the failed
 * allocation and report a misleading "no fields".
 *
 * Installed only in the parse child (forms/pdf-read-child.ts), never in the desk.
 */
import { createRequire } from 'node:module';

/** Decoded bytes one PDF may produce; a filled form needs a few MB at most. */
export const DEFAULT_INFLATE_BUDGET_BYTES = 128 * 1024 * 1024;

interface DecodeStreamProto {
  ensureBuffer(this: { buffer: Uint8Array; minBufferLength: number }, requested: number): Uint8Array;
}

export class InflateBudgetExceeded extends Error {
  constructor(readonly budget: number) {
    super(`decoded PDF streams over ${budget} bytes`);
    this.name = 'InflateBudgetExceeded';
  }
}

let budget = DEFAULT_INFLATE_BUDGET_BYTES;
let used = 0;
let exceeded = false;
let installed = false;

/** Hooks pdf-lib's DecodeStream (the same module instance the reader loads) once. */
export function installInflateBudget(bytes = DEFAULT_INFLATE_BUDGET_BYTES): void {
  budget = bytes;
  if (installed) return;
  installed = true;
  const require = createRequire(import.meta.url);
  const mod = require('pdf-lib/cjs/core/streams/DecodeStream.js') as { default: { prototype: DecodeStreamProto } };
  const proto = mod.default.prototype;
  const original = proto.ensureBuffer;
  proto.ensureBuffer = function ensureBuffer(requested: number): Uint8Array {
    const have = this.buffer.byteLength;
    if (requested > have) {
      // The size ensureBuffer will allocate (it doubles from minBufferLength), counted before it is allocated;
      // the growth of every stream of one read is summed.
      let size = Math.max(1, this.minBufferLength);
      while (size < requested) size *= 2;
      used += size - have;
      if (used > budget) {
        exceeded = true;
        throw new InflateBudgetExceeded(budget);
      }
    }
    return original.call(this, requested);
  };
}

/** Starts counting for a new PDF. */
export function resetInflateBudget(): void {
  used = 0;
  exceeded = false;
}

/** True when the PDF read since the last reset ran over the budget (pdf-lib may have caught the throw). */
export function inflateBudgetExceeded(): boolean {
  return exceeded;
}
