/**
 * The floor a case is held against: what reading its two forms costs when
 * nothing else is in the way. Each form is read in-process by the desk's own
 * reader, warm (tinybench: a warm-up first, then the median of at least 200
 * reads), because a cold read pays the JIT and pdf-lib's first-use costs
 * once per process, not once per case; measured cold, the floor flatters the
 * desk. The MIME parse of the whole mail is measured the same way, beside it.
 */
import { Bench } from 'tinybench';
import { readPdfForm } from '../forms/pdf-reader.js';

export interface FormFloor {
  /** Median warm in-process read of each PDF form of the mail, in ms. */
  formsMs: number[];
  /** Their sum: reading a case's forms. */
  caseFormsMs: number;
  /** Median warm MIME parse of the whole mail (mailparser), in ms. */
  mimeMs: number;
  samples: number;
}

const SAMPLES = Number(process.env.BENCH_FLOOR_SAMPLES ?? 300);

async function medianMs(name: string, fn: () => Promise<unknown>): Promise<number> {
  const bench = new Bench({
    name,
    iterations: Math.max(200, SAMPLES),
    time: 0,
    warmupIterations: 50,
    warmupTime: 0,
  });
  bench.add(name, fn);
  await bench.run();
  const result = bench.tasks[0]!.result;
  if (result.state !== 'completed') throw new Error(`the floor's ${name} did not complete: ${result.state}`);
  return result.latency.p50;
}

export async function formFloor(mail: Buffer): Promise<FormFloor> {
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(mail);
  const pdfs = parsed.attachments
    .filter((a) => a.contentType === 'application/pdf' || a.filename?.endsWith('.pdf'))
    .map((a) => new Uint8Array(a.content));
  if (pdfs.length === 0) throw new Error('the floor needs a mail with PDF forms');
  const formsMs: number[] = [];
  for (const [i, pdf] of pdfs.entries()) {
    const first = await readPdfForm(pdf);
    if (!first.ok) throw new Error(`the floor's form ${i + 1} does not read`);
    formsMs.push(await medianMs(`form ${i + 1}`, () => readPdfForm(pdf)));
  }
  const mimeMs = await medianMs('mime', () => simpleParser(mail));
  return { formsMs, caseFormsMs: formsMs.reduce((a, b) => a + b, 0), mimeMs, samples: Math.max(200, SAMPLES) };
}
