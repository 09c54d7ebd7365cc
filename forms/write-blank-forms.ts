/**
 * Regenerates the committed blank forms:
 *   npm run build && node dist/forms/write-blank-forms.js [DIR]   (DIR defaults to templates/forms)
 * A unit test (test/unit/forms-blank-writer.test.ts) fails when the committed
 * files differ from what the specs produce.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeBlankForms } from './blank-writer.js';

export async function main(argv: string[]): Promise<void> {
  const dir = resolve(argv[0] ?? 'templates/forms');
  for (const path of await writeBlankForms(dir)) process.stdout.write(`${path}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
