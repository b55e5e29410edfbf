/** /lang: 中文 / English buttons; `/lang en` works too. The choice is stored in State. */
import { Composer } from 'grammy';
import type { Lang } from '../../types.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { decodeCallback } from '../callback-data.js';
import { say, useLang } from '../i18n.js';
import { langKeyboard } from '../keyboards.js';

/** What `/lang X` accepts. A Map, so `/lang constructor` or `/lang __proto__` finds nothing (a plain object would inherit them). */
export const LANG_ALIASES: ReadonlyMap<string, Lang> = new Map<string, Lang>([
  ['zh', 'zh'], ['cn', 'zh'], ['中文', 'zh'], ['汉语', 'zh'], ['chinese', 'zh'],
  ['en', 'en'], ['english', 'en'], ['英文', 'en'], ['英语', 'en'],
]);

export function createLangFeature({ state }: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  const choose = async (ctx: BotContext, lang: Lang) => {
    if (ctx.from) await state.setLang(ctx.from.id, lang);
    useLang(ctx, lang);
  };

  feature.command('lang', async (ctx) => {
    const arg = ctx.match.trim().toLowerCase();
    const lang = LANG_ALIASES.get(arg);
    if (lang) {
      await choose(ctx, lang);
      return void (await ctx.reply(say(ctx, 'lang-set')));
    }
    const text = arg ? say(ctx, 'lang-unknown', { arg: ctx.match.trim().slice(0, 50) }) : say(ctx, 'lang-choose');
    await ctx.reply(text, { reply_markup: langKeyboard() });
  });

  feature.on('callback_query:data', async (ctx, next) => {
    const data = decodeCallback(ctx.callbackQuery.data);
    if (data?.kind !== 'lang') return next();
    await choose(ctx, data.lang);
    await ctx.answerCallbackQuery({ text: ctx.t('lang-set') });
    // Pressed again on a message that already says so: Telegram would refuse an edit that changes nothing.
    const message = ctx.callbackQuery.message;
    if (message && (message.text !== ctx.t('lang-set') || message.reply_markup)) await ctx.editMessageText(say(ctx, 'lang-set')).catch(() => undefined);
  });

  return feature;
}
