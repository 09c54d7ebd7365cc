/** `npm run build`'s last step: writes dist/mail-html/ (compile-html.ts). */
import { COMPILED_HTML_DIR } from '../compiled-html.js';
import { compileMailHtml } from './compile-html.js';

const written = await compileMailHtml();
process.stdout.write(`mail HTML compiled: ${written.length} files in ${COMPILED_HTML_DIR}/\n`);
