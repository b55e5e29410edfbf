/**
 * Translations: Fluent files in `locales/<lang>/*.ftl` (one folder per language; every .ftl inside
 * is merged, so `bot.ftl` and the digest's `digest.ftl` live side by side). zh is the default.
 *
 * Messages are plain text, and every message the bot sends is HTML (`html-default.ts`): a
 * translation goes into a message escaped — `say(ctx, key)` for one on its own, `escapeHtml` where
 * `render.ts` builds a message — so variables can never inject markup. Button labels, toasts and
 * inline titles are not HTML and take `ctx.t` as it is.
 *
 * ```ts
 * t('en', 'rate-limited')                 // outside an update (digests)
 * ctx.t('ask-too-long', { max: 1000 })    // inside one
 * ctx.reply(say(ctx, 'lang-unknown', { arg }))   // a translation as a whole message (escaped)
 * ```
 */
import { Composer } from 'grammy';
import { I18n } from '@grammyjs/i18n';
import { LOCALES_DIR, type TranslationVars } from '../i18n.js';
import { escapeHtml } from '../text/html.js';
import type { Lang } from '../types.js';
import type { BotContext } from './context.js';
import type { BotState } from './deps.js';

export { LANGS, LOCALES_DIR, langFromCode, t, type TranslationVars } from '../i18n.js';

/** A translation as HTML for a message of its own: the text escaped (variables included). */
export const say = (ctx: { t(key: string, vars?: TranslationVars): string }, key: string, vars?: TranslationVars): string =>
  escapeHtml(ctx.t(key, vars));

function makeI18n(defaultLang: Lang, negotiator?: (ctx: BotContext) => Promise<Lang>): I18n<BotContext> {
  return new I18n<BotContext>({
    defaultLocale: defaultLang,
    directory: LOCALES_DIR,
    // No Unicode isolation marks around placeables: they would end up inside quotes and commands.
    fluentBundleOptions: { useIsolating: false },
    ...(negotiator ? { localeNegotiator: negotiator } : {}),
  });
}

/** The user's /lang choice stored in State, else Telegram's language_code (en* → en), else the default. */
export async function negotiateLang(ctx: BotContext, state: BotState, defaultLang: Lang): Promise<Lang> {
  const id = ctx.from?.id;
  const stored = id === undefined ? undefined : (await state.getUser(id))?.lang;
  if (stored) return stored;
  const code = ctx.from?.language_code;
  return code?.toLowerCase().startsWith('en') ? 'en' : defaultLang;
}

/** The i18n middleware: installs `ctx.t` and sets `ctx.lang`. */
export function createI18nMiddleware(state: BotState, defaultLang: Lang): Composer<BotContext> {
  // One state read per update: the negotiator's answer is reused for ctx.lang.
  const negotiated = new WeakMap<BotContext, Promise<Lang>>();
  const once = (ctx: BotContext): Promise<Lang> => {
    let p = negotiated.get(ctx);
    if (!p) negotiated.set(ctx, (p = negotiateLang(ctx, state, defaultLang)));
    return p;
  };
  const i18n = makeI18n(defaultLang, once);
  const composer = new Composer<BotContext>();
  composer.use(i18n.middleware());
  composer.use(async (ctx, next) => {
    ctx.lang = await once(ctx);
    await next();
  });
  return composer;
}

/** Switches the language for the rest of this update (after /lang). */
export function useLang(ctx: BotContext, lang: Lang): void {
  ctx.lang = lang;
  ctx.i18n.useLocale(lang);
}
