/**
 * Pure composition of digest messages (no I/O): items grouped by topic, each with its headline,
 * one verbatim key sentence and its source (src/citation.ts: paper, date, page, byline; the headline
 * linked to the report's url); HTML-escaped; split into
 * Telegram messages of at most 4096 characters on item boundaries.
 */
import type { TopicMatch } from '../engine.js';
import type { DeliveryPayload, PlannedDelivery } from '../state/index.js';
import type { Translate } from './i18n.js';
import { citeLang, headlineHtml, sourceDetails } from '../citation.js';
import { escapeHtml, MAX_MESSAGE } from '../text/html.js';

/** A key sentence longer than this is cut (the kept part stays verbatim) so one item always fits a message. */
export const KEY_SENTENCE_MAX = 1200;

/** The frozen digest item for a match (what a delivery shows, planned once). */
export function toPayload(m: TopicMatch): DeliveryPayload {
  return {
    articleId: m.article.id,
    file: m.article.file,
    kicker: m.article.kicker,
    title: m.article.title,
    byline: m.article.byline,
    ...(m.article.meta ? { meta: m.article.meta } : {}),
    keySentence: m.keySentence,
    probability: m.probability,
  };
}

/** One digest item: bold headline, the quoted key sentence, the source line. */
export function formatItem(t: Translate, p: DeliveryPayload, alsoTopics: readonly string[] = []): string {
  const key = p.keySentence.length > KEY_SENTENCE_MAX ? `${p.keySentence.slice(0, KEY_SENTENCE_MAX)}…` : p.keySentence;
  const source = sourceDetails(p, citeLang(t));
  const lines = [`▪️ <b>${headlineHtml(p)}</b>`, `<blockquote>${escapeHtml(key)}</blockquote>`];
  if (source) lines.push(escapeHtml(t('digest-source', { source })));
  if (alsoTopics.length) lines.push(`<i>${escapeHtml(t('digest-also', { topics: alsoTopics.join('、') }))}</i>`);
  return lines.join('\n');
}

/** A message ready to send, with the ledger rows it delivers. */
export interface ComposedMessage {
  text: string;
  deliveryIds: number[];
  articleIds: string[];
}

interface Item {
  topic: string;
  deliveryIds: number[];
  articleId: string;
  payload: DeliveryPayload;
  alsoTopics: string[];
}

/** Groups one chat's planned rows into items: an article matching several topics is shown once, under the first. */
export function groupItems(rows: readonly PlannedDelivery[]): Map<string, Item[]> {
  const byTopic = new Map<string, Item[]>();
  const byArticle = new Map<string, Item>();
  const sorted = [...rows].sort((a, b) => a.subscriptionId - b.subscriptionId || b.payload.probability - a.payload.probability);
  for (const r of sorted) {
    const seen = byArticle.get(r.articleId);
    if (seen) {
      seen.deliveryIds.push(r.id);
      if (r.topic !== seen.topic && !seen.alsoTopics.includes(r.topic)) seen.alsoTopics.push(r.topic);
      continue;
    }
    const item: Item = { topic: r.topic, deliveryIds: [r.id], articleId: r.articleId, payload: r.payload, alsoTopics: [] };
    byArticle.set(r.articleId, item);
    const list = byTopic.get(r.topic) ?? [];
    list.push(item);
    byTopic.set(r.topic, list);
  }
  return byTopic;
}

/**
 * Composes one chat's digest: as few messages as fit (usually one), each ≤ `limit` characters,
 * split only between items; a continued topic repeats its heading.
 */
export function composeDigest(t: Translate, rows: readonly PlannedDelivery[], limit = MAX_MESSAGE): ComposedMessage[] {
  const out: ComposedMessage[] = [];
  const footer = `<i>${escapeHtml(t('digest-footer'))}</i>`;
  let cur: { parts: string[]; ids: number[]; articles: string[]; topic: string | null } | null = null;
  const open = (): NonNullable<typeof cur> => ({
    parts: [`<b>${escapeHtml(out.length === 0 ? t('digest-title') : t('digest-title-cont'))}</b>`],
    ids: [],
    articles: [],
    topic: null,
  });
  const flush = (): void => {
    if (cur && cur.ids.length) out.push({ text: cur.parts.join('\n\n'), deliveryIds: cur.ids, articleIds: cur.articles });
    cur = null;
  };
  const size = (parts: string[]): number => parts.join('\n\n').length;
  for (const [topic, items] of groupItems(rows)) {
    for (const item of items) {
      const text = formatItem(t, item.payload, item.alsoTopics);
      const heading = `<b>${escapeHtml(t('digest-topic', { topic }))}</b>`;
      for (let attempt = 0; attempt < 2; attempt++) {
        cur ??= open();
        const add = cur.topic === topic ? [text] : [heading, text];
        if (cur.ids.length > 0 && size([...cur.parts, ...add]) > limit) {
          flush();
          continue;
        }
        cur.parts.push(...add);
        cur.ids.push(...item.deliveryIds);
        cur.articles.push(item.articleId);
        cur.topic = topic;
        break;
      }
    }
  }
  if (cur) {
    const c: { parts: string[] } = cur;
    if (size([...c.parts, footer]) <= limit) c.parts.push(footer);
  }
  flush();
  return out;
}
