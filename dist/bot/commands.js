import { t } from './i18n.js';
export const USER_COMMANDS = ['start', 'ask', 'sources', 'status', 'lang', 'help'];
export const ADMIN_COMMANDS = ['reindex', 'stats', 'report'];
function menu(lang, names) {
    return names.map((command) => ({ command, description: t(lang, `cmd-${command}`) }));
}
export async function registerCommands(api, opts) {
    const users = [...USER_COMMANDS.slice(0, 2), ...(opts.extra ?? []), ...USER_COMMANDS.slice(2)];
    const admins = [...users, ...ADMIN_COMMANDS];
    const jobs = [
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
        }
        catch (err) {
            opts.log.warn({ err, menu: name }, 'could not register command menu (not fatal)');
        }
    }
}
//# sourceMappingURL=commands.js.map