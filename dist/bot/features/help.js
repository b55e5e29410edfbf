/** /help: how to ask (private, groups, inline) and the commands. */
import { Composer } from 'grammy';
export function createHelpFeature() {
    const feature = new Composer();
    feature.command('help', (ctx) => ctx.reply(ctx.t('help', { bot: ctx.me.username, max: 1000 })));
    return feature;
}
//# sourceMappingURL=help.js.map