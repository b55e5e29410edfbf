/**
 * The translations every part of the app shares: Fluent files in `locales/<lang>/*.ftl`, and `t`
 * for texts written outside a Telegram update (digest rounds, startup). The bot's per-update
 * middleware (`src/bot/i18n.ts`) reads the same folder. zh is the default.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { I18n } from '@grammyjs/i18n';
import type { Lang } from './types.js';

/** Absolute path of `locales/` (no trailing slash: the plugin derives the locale from the first sub-folder). */
export const LOCALES_DIR = path.resolve(fileURLToPath(new URL('../locales', import.meta.url)));

export const LANGS: readonly Lang[] = ['zh', 'en'];

export type TranslationVars = Record<string, string | number>;

let shared: I18n | undefined;

/** Translates outside an update (digests, startup messages). Unknown keys come back as `{key}`. */
export function t(lang: Lang, key: string, vars?: TranslationVars): string {
  // No Unicode isolation marks around placeables: they would end up inside quotes and commands.
  shared ??= new I18n({ defaultLocale: 'zh', directory: LOCALES_DIR, fluentBundleOptions: { useIsolating: false } });
  return shared.t(lang, key, vars);
}

/** Maps a Telegram `language_code` (or anything) onto a supported language. */
export function langFromCode(code: string | undefined, fallback: Lang): Lang {
  if (!code) return fallback;
  const c = code.toLowerCase();
  if (c.startsWith('en')) return 'en';
  if (c.startsWith('zh')) return 'zh';
  return fallback;
}
