/**
 * The documentation's relative links lead somewhere: every link and image in
 * README.md, CHANGELOG.md and docs/*.md names a file (or folder) of this
 * repository, and an anchor into a markdown page names one of its headings.
 * Links to other sites are not followed. The pages also never point outside
 * the repository, nor cite an issue by number.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../lib/paths.js';

const root = packageRoot();
const pages = [
  'README.md',
  'CHANGELOG.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
].filter((p) => existsSync(join(root, p)));

/** The page without fenced code blocks (their text is code, not links or headings); line count kept. */
const prose = (text: string): string =>
  text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ''));
/** Prose without inline code spans. */
const withoutCode = (text: string): string => prose(text).replace(/`[^`\n]*`/g, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of prose(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const plain = m[1]!
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link's text
      .replace(/<[^>]+>/g, '') // inline HTML
      .replace(/[`*~]/g, ''); // code and emphasis marks (underscores stay, as in names)
    const base = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

interface Link {
  page: string;
  line: number;
  target: string;
}

/** Every link target of a page: markdown links and images, and HTML src/href attributes. */
function linksOf(page: string, text: string): Link[] {
  const links: Link[] = [];
  withoutCode(text)
    .split('\n')
    .forEach((l, i) => {
      for (const m of l.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+["'][^"']*["'])?\s*\)/g))
        links.push({ page, line: i + 1, target: m[1]! });
      for (const m of l.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/g))
        links.push({ page, line: i + 1, target: m[1]! });
    });
  return links;
}

const isExternal = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/** What is wrong with a link, or undefined. */
function problemOf(link: Link, readPage: (abs: string) => string): string | undefined {
  if (isExternal(link.target)) return undefined;
  const [rawPath = '', anchor] = link.target.split('#', 2);
  const path = decodeURIComponent(rawPath);
  const from = join(root, link.page);
  const abs = path === '' ? from : resolve(dirname(from), path);
  if (abs !== root && !abs.startsWith(root + sep)) return 'leads outside the repository';
  if (!existsSync(abs)) return `no such file ${relative(root, abs)}`;
  if (anchor !== undefined && anchor !== '' && abs.endsWith('.md') && statSync(abs).isFile()) {
    if (!anchorsOf(readPage(abs)).has(anchor.toLowerCase())) return `no heading #${anchor} in ${relative(root, abs)}`;
  }
  return undefined;
}

const read = (abs: string): string => readFileSync(abs, 'utf8');

describe('the documentation', () => {
  it('has its pages', () => {
    for (const p of ['README.md', 'CHANGELOG.md', 'docs/configuration.md', 'docs/errors.md'])
      expect(pages, p).toContain(p);
  });

  it('links only to files of the repository that exist, and to headings its pages have', () => {
    const broken = pages
      .flatMap((page) => linksOf(page, read(join(root, page))))
      .map((l) => ({ l, problem: problemOf(l, read) }))
      .filter((x) => x.problem !== undefined)
      .map(({ l, problem }) => `${l.page}:${l.line} (${l.target}): ${problem}`);
    expect(broken).toEqual([]);
  });

  it('finds what these checks are meant to find', () => {
    const page = 'docs/operations.md';
    const text =
      'See [a](configuration.md), [b](nowhere.md), [c](../../elsewhere/x.md), [d](#running-a-desk), [e](#nowhere), [f](https://example.com/x), `[g](nope.md)`.\n\n# Running a desk\n';
    const problems = linksOf(page, text).map((l) =>
      problemOf(l, (abs) => (abs.endsWith('operations.md') ? text : read(abs))),
    );
    expect(problems.map((p) => p === undefined)).toEqual([true, false, false, true, false, true]);
    expect(
      anchorsOf(
        '# What the desk keeps, and for how long\n## `start` and 20,000 cases\n## A\n## A\n```\n# not a heading\n```\n',
      ),
    ).toEqual(new Set(['what-the-desk-keeps-and-for-how-long', 'start-and-20000-cases', 'a', 'a-1']));
  });

  it('never cites an issue by number', () => {
    const hits = pages.flatMap((page) =>
      read(join(root, page))
        .split('\n')
        .flatMap((l, i) => (/\bissues?\s+#?\d+/i.test(l) ? [`${page}:${i + 1}`] : [])),
    );
    expect(hits).toEqual([]);
  });
});
