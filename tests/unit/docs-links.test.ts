// Every relative link in the documentation resolves: README.md, docs/*.md, examples/**/*.md and
// CHANGELOG.md link only to files that exist in the repository, and a #anchor only to a heading
// (or an explicit anchor) that the linked Markdown file has, as GitHub renders them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** The Markdown files whose links are checked, relative to the repository. */
function documentation(): string[] {
  const files = ['README.md', 'CHANGELOG.md'].filter((file) => existsSync(join(ROOT, file)));
  const walk = (dir: string): string[] =>
    existsSync(join(ROOT, dir))
      ? readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
          const path = join(dir, entry.name);
          if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path);
          return entry.name.endsWith('.md') ? [path] : [];
        })
      : [];
  return [...files, ...walk('docs'), ...walk('examples')];
}

/** The text outside fenced code blocks and inline code spans, line by line (numbers kept). */
function proseLines(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (opening !== undefined && opening[0] === fence[0] && opening.length >= fence.length) fence = undefined;
      return '';
    }
    if (opening !== undefined) {
      fence = opening;
      return '';
    }
    return line.replace(/(`+)[^`]*?\1/g, '');
  });
}

/** The anchor GitHub gives a heading's text (github-slugger's rule). */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link: its text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/[*`]/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a Markdown file has: its headings' slugs (repeats numbered) and explicit ids. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (opening !== undefined && opening[0] === fence[0] && opening.length >= fence.length) fence = undefined;
      continue;
    }
    if (opening !== undefined) {
      fence = opening;
      continue;
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      const base = slug(heading);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const match of line.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) if (match[1]) anchors.add(match[1]);
  }
  return anchors;
}

/** The link targets of a Markdown text with their line numbers: inline links, images, reference definitions. */
function linksOf(markdown: string): { line: number; target: string }[] {
  const links: { line: number; target: string }[] = [];
  proseLines(markdown).forEach((text, index) => {
    for (const match of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) if (match[1]) links.push({ line: index + 1, target: match[1] });
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(text)?.[1];
    if (definition) links.push({ line: index + 1, target: definition });
  });
  return links;
}

interface LinkProblem {
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly problem: string;
}

/** What is wrong with each relative link of one file (repository-relative path); [] when all resolve. */
function brokenLinks(file: string, markdown: string, root = ROOT): LinkProblem[] {
  const problems: LinkProblem[] = [];
  for (const { line, target } of linksOf(markdown)) {
    // Absolute URLs (https:, mailto:, ...) and protocol-relative ones are not this test's.
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
    const [pathPart = '', anchor] = target.split('#', 2);
    const path = decodeURIComponent(pathPart.split('?')[0] ?? '');
    const problem = (text: string) => problems.push({ file, line, target, problem: text });
    if (path === '') {
      if (anchor && !anchorsOf(markdown).has(anchor)) problem(`no heading or anchor #${anchor} in this file`);
      continue;
    }
    const absolute = path.startsWith('/') ? join(root, path) : resolve(root, dirname(file), path);
    if (relative(root, absolute).startsWith('..')) {
      problem('points outside the repository');
      continue;
    }
    if (!existsSync(absolute)) {
      problem(`${relative(root, absolute)} does not exist`);
      continue;
    }
    if (anchor && absolute.endsWith('.md') && statSync(absolute).isFile() && !anchorsOf(readFileSync(absolute, 'utf8')).has(anchor)) {
      problem(`${relative(root, absolute)} has no heading or anchor #${anchor}`);
    }
  }
  return problems;
}

describe('relative links in the documentation', () => {
  const files = documentation();

  it('finds the documentation to check', () => {
    expect(files).toContain('README.md');
    expect(files.some((file) => file.startsWith('docs/'))).toBe(true);
  });

  it.each(files)('%s: every relative link and #anchor resolves', (file) => {
    expect(brokenLinks(file, readFileSync(join(ROOT, file), 'utf8'))).toEqual([]);
  });
});

describe('the link check itself', () => {
  const sample = [
    '# Title',
    '## In AWS: serverless.yml parameters',
    '## The 401 cool-down',
    '## Repeat',
    '## Repeat',
    '<a name="custom"></a>',
    'Fine: [self](#the-401-cool-down), [second repeat](#repeat-1), [explicit](#custom), [dots](#in-aws-serverlessyml-parameters),',
    '[a file](../README.md), [a folder](../docs), [bad anchor there](../README.md#nothing-like-this), [web](https://example.com/x.md).',
    'Broken: [missing](no-such-file.md), [bad anchor](#no-such-heading).',
    '[ref]: ../../outside.md',
    '```md',
    '[in code](not-checked.md)',
    '```',
    'and `[inline](also-not-checked.md)` code.',
  ].join('\n');

  it('reports missing files, missing anchors and links out of the repository, and nothing in code', () => {
    const problems = brokenLinks('docs/sample.md', sample, ROOT).map(({ line, target }) => `${line} ${target}`);
    expect(problems).toEqual(['8 ../README.md#nothing-like-this', '9 no-such-file.md', '9 #no-such-heading', '10 ../../outside.md']);
  });

  it('gives headings the anchors GitHub gives them', () => {
    expect([...anchorsOf(sample)]).toEqual(['title', 'in-aws-serverlessyml-parameters', 'the-401-cool-down', 'repeat', 'repeat-1', 'custom']);
    expect(slug('Rooms of `shared/` and [links](x.md) — *emphasis*')).toBe('rooms-of-shared-and-links--emphasis');
  });
});
