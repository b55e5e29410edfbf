/**
 * Translations: Fluent files in `locales/<lang>/*.ftl` (one folder per language; every .ftl inside
 * is merged, so `bot.ftl` and the digest's `digest.ftl` live side by side). zh is the default.
 *
 * Messages are plain text. Whoever puts a translation into an HTML message escapes it there
 * (see `render.ts`), so variables can never inject markup.
 *
 * ```ts
 * t('en', 'rate-limited')                 // outside an update (digests)
 * ctx.t('ask-too-long', { max: 1000 })    // inside one
 * ```
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Composer } from 'grammy';
import { I18n } from '@grammyjs/i18n';
/** Absolute path of `locales/` (no trailing slash: the plugin derives the locale from the first sub-folder). */
export const LOCALES_DIR = path.resolve(fileURLToPath(new URL('../../locales', import.meta.url)));
export const LANGS = ['zh', 'en'];
function makeI18n(defaultLang, negotiator) {
    return new I18n({
        defaultLocale: defaultLang,
        directory: LOCALES_DIR,
        // No Unicode isolation marks around placeables: they would end up inside quotes and commands.
        fluentBundleOptions: { useIsolating: false },
        ...(negotiator ? { localeNegotiator: negotiator } : {}),
    });
}
let shared;
/** Translates outside an update (digests, startup messages). Unknown keys come back as `{key}`. */
export function t(lang, key, vars) {
    shared ??= makeI18n('zh');
    return shared.t(lang, key, vars);
}
/** Maps a Telegram `language_code` (or anything) onto a supported language. */
export function langFromCode(code, fallback) {
    if (!code)
        return fallback;
    const c = code.toLowerCase();
    if (c.startsWith('en'))
        return 'en';
    if (c.startsWith('zh'))
        return 'zh';
    return fallback;
}
/** The user's /lang choice stored in State, else Telegram's language_code (en* → en), else the default. */
export async function negotiateLang(ctx, state, defaultLang) {
    const id = ctx.from?.id;
    const stored = id === undefined ? undefined : (await state.getUser(id))?.lang;
    if (stored)
        return stored;
    const code = ctx.from?.language_code;
    return code?.toLowerCase().startsWith('en') ? 'en' : defaultLang;
}
/** The i18n middleware: installs `ctx.t` and sets `ctx.lang`. */
export function createI18nMiddleware(state, defaultLang) {
    // One state read per update: the negotiator's answer is reused for ctx.lang.
    const negotiated = new WeakMap();
    const once = (ctx) => {
        let p = negotiated.get(ctx);
        if (!p)
            negotiated.set(ctx, (p = negotiateLang(ctx, state, defaultLang)));
        return p;
    };
    const i18n = makeI18n(defaultLang, once);
    const composer = new Composer();
    composer.use(i18n.middleware());
    composer.use(async (ctx, next) => {
        ctx.lang = await once(ctx);
        await next();
    });
    return composer;
}
/** Switches the language for the rest of this update (after /lang). */
export function useLang(ctx, lang) {
    ctx.lang = lang;
    ctx.i18n.useLocale(lang);
}
//# sourceMappingURL=i18n.js.map