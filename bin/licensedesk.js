#!/usr/bin/env node
// The CLI is compiled TypeScript; `npm run build` (part of the README set-up) makes dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write(
    'licensedesk is not built yet: run `npm run setup` (or `npm ci && npm run build`) in the repository first\n',
  );
  process.exit(1);
}
await import(main.href);
