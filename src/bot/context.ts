/** The context type every feature sees: grammY's Context + i18n + what our own middleware adds. */
import type { Context } from 'grammy';
import type { I18nFlavor } from '@grammyjs/i18n';
import type { Lang } from '../types.js';
import type { UserRecord } from '../state/index.js';

export interface BaowenFlavor {
  /** The language replies are written in (the user's /lang choice, else Telegram's language_code). */
  lang: Lang;
  /** The stored user, after the upsert middleware (absent for updates without a sender). */
  user?: UserRecord;
}

export type BotContext = Context & I18nFlavor & BaowenFlavor;
