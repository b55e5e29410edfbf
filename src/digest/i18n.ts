/**
 * Digest texts outside an update (scheduled / index-change rounds have no `ctx.t`). The keys live in
 * `locales/<lang>/digest.ftl`; `src/i18n.ts` and the bot's middleware merge every `.ftl` of a language,
 * so `ctx.t` inside commands and {@link digestTranslator} here serve the same messages.
 * Translations are plain text: callers escape them (and their variables) when building HTML.
 */
import type { Lang } from '../types.js';
import { t } from '../i18n.js';

/** A translation function bound to one language (`ctx.t`, or `(k, v) => t(lang, k, v)`). */
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** `t(lang, key, vars)` over the digest messages. */
export type DigestTranslator = (lang: Lang, key: string, vars?: Record<string, string | number>) => string;

/** The app-wide translator (loads `locales/` once). */
export function digestTranslator(): DigestTranslator {
  return t;
}
