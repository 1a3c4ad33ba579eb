/** Reads the README's examples: the fenced blocks of one section, as written. */
import { readFileSync } from 'node:fs';

export const README = new URL('../../README.md', import.meta.url);

/** The text of the `## title` section, up to the next `## ` heading. */
export function section(title: string): string {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README.md has no section '## ${title}'`);
  const next = text.indexOf('\n## ', start + 1);
  return text.slice(start, next < 0 ? undefined : next);
}

/** The fenced code blocks of a language in some Markdown text. */
export function blocks(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm'))].map((m) => m[1]!);
}
