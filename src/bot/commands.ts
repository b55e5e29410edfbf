/**
 * The command menus: per language (zh default + `language_code: 'en'`), and for each admin chat
 * the same plus the operator commands. A failure is logged, never fatal.
 */
import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import type { Logger } from '../log.js';
import type { Lang } from '../types.js';
import { t } from './i18n.js';

export const USER_COMMANDS = ['start', 'ask', 'sources', 'status', 'lang', 'help'] as const;
export const ADMIN_COMMANDS = ['reindex', 'stats', 'report'] as const;

/** Commands other features add to the menu (e.g. the subscribe feature), described by `cmd-<name>` in the .ftl files. */
export type ExtraCommands = readonly string[];

function menu(lang: Lang, names: readonly string[]): BotCommand[] {
  return names.map((command) => ({ command, description: t(lang, `cmd-${command}`) }));
}

export async function registerCommands(api: Api, opts: { adminIds: readonly number[]; log: Logger; extra?: ExtraCommands }): Promise<void> {
  const users = [...USER_COMMANDS.slice(0, 2), ...(opts.extra ?? []), ...USER_COMMANDS.slice(2)];
  const admins = [...users, ...ADMIN_COMMANDS];
  const jobs: [string, () => Promise<unknown>][] = [
    ['default zh', () => api.setMyCommands(menu('zh', users))],
    ['default en', () => api.setMyCommands(menu('en', users), { language_code: 'en' })],
  ];
  for (const chat_id of opts.adminIds) {
    jobs.push([`admin ${chat_id} zh`, () => api.setMyCommands(menu('zh', admins), { scope: { type: 'chat', chat_id } })]);
    jobs.push([`admin ${chat_id} en`, () => api.setMyCommands(menu('en', admins), { scope: { type: 'chat', chat_id }, language_code: 'en' })]);
  }
  for (const [name, job] of jobs) {
    try {
      await job();
    } catch (err) {
      opts.log.warn({ err, menu: name }, 'could not register command menu (not fatal)');
    }
  }
}
