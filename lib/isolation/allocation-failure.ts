/**
 * A failed allocation in a parse child. Under the address-space limit
 * (memory-limit.ts) a large Buffer or typed array that cannot be mapped is a
 * JavaScript RangeError, not V8's abort: which of the two a hostile input
 * meets depends on how far the garbage collector has got, so on the machine's
 * load. Both are the input's size, never its corruption, and both are
 * answered as too large.
 */

/** The exit status of a child that stopped on a failed allocation nobody caught. */
export const EXIT_OUT_OF_MEMORY = 71;

/** Whether `err` is an allocation that failed (an ArrayBuffer, a typed array or a string too large to be made). */
export function isAllocationFailure(err: unknown): boolean {
  return (
    err instanceof RangeError &&
    /allocation failed|out of memory|Invalid (typed )?array length|Invalid string length/i.test(err.message)
  );
}
