/**
 * The message templates: files in the repository, `templates/<workflow>/<message>.txt.liquid`
 * and `.html.liquid`, each falling back to `templates/default/`, rendered with LiquidJS. The
 * text template's first line is the subject (`Subject: ...`), then a blank line, then the
 * body; HTML output is escaped, so an order's data can never inject markup.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Liquid } from 'liquidjs';
import type { MessageName } from '../../domain/notifications/messages.js';
import type { MessageView } from '../../domain/notifications/message-view.js';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates', import.meta.url));

export interface RenderedMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export class Templates {
  readonly #engines = new Map<string, { text: Liquid; html: Liquid }>();

  constructor(private readonly dir: string = TEMPLATES_DIR) {}

  async render(workflow: string, message: MessageName, view: MessageView): Promise<RenderedMessage> {
    const { text, html } = this.#enginesFor(workflow);
    // Rendered synchronously: the parsed templates are cached, and LiquidJS's asynchronous
    // rendering spends more on promises than on the template (most of a message's cost).
    const plain = text.renderFileSync(`${message}.txt.liquid`, view) as string;
    const markup = html.renderFileSync(`${message}.html.liquid`, view) as string;
    const { subject, body } = splitSubject(plain, `${workflow}/${message}.txt.liquid`);
    return { subject, text: body, html: markup.trim() + '\n' };
  }

  #enginesFor(workflow: string): { text: Liquid; html: Liquid } {
    // Only a plain name may pick a folder: a workflow name never walks out of templates/.
    const own = /^[a-z0-9_-]+$/i.test(workflow) ? workflow : 'default';
    let engines = this.#engines.get(own);
    if (!engines) {
      const root = [path.join(this.dir, own), path.join(this.dir, 'default')];
      const common = { root, cache: true, strictFilters: true, timezoneOffset: 0, greedy: false } as const;
      engines = { text: new Liquid(common), html: new Liquid({ ...common, outputEscape: 'escape' }) };
      this.#engines.set(own, engines);
    }
    return engines;
  }
}

/** `Subject: ...` on the first line, one blank line, then the body. */
function splitSubject(rendered: string, name: string): { subject: string; body: string } {
  const text = rendered.replace(/^\s*\n/, '');
  const match = /^Subject:[ \t]*(.*)\r?\n/.exec(text);
  if (!match || !match[1]!.trim()) throw new Error(`${name} must start with a "Subject: ..." line`);
  const body = text.slice(match[0].length).replace(/^\s*\n/, '');
  return { subject: match[1]!.trim().replace(/\s+/g, ' '), body: body.replace(/\n{3,}/g, '\n\n').trimEnd() + '\n' };
}
