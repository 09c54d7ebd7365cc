/**
 * One folder of page templates under templates/ (the console's, the
 * partner's pages'): each template compiled once, on first use, by the
 * handlebars instance that holds the folder's helpers, and the folder's
 * style sheet read once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Handlebars from 'handlebars';
import { packageRoot } from '../lib/paths.js';

export interface TemplateFolder {
  template(name: string): HandlebarsTemplateDelegate;
  css(): string;
}

export function templateFolder(hb: typeof Handlebars, folder: string, cssFile: string): TemplateFolder {
  const cache = new Map<string, HandlebarsTemplateDelegate>();
  const dir = () => join(packageRoot(), 'templates', folder);
  let css: string | undefined;
  return {
    template(name) {
      let t = cache.get(name);
      if (!t) {
        t = hb.compile(readFileSync(join(dir(), `${name}.hbs`), 'utf8'), { strict: false });
        cache.set(name, t);
      }
      return t;
    },
    css() {
      css ??= readFileSync(join(dir(), cssFile), 'utf8');
      return css;
    },
  };
}
