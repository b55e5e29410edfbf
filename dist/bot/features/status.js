/** /status: search mode (loud when keyword-only), model, counts, when indexed. */
import { Composer } from 'grammy';
import { renderStatus } from '../render.js';
export function createStatusFeature({ engine }) {
    const feature = new Composer();
    feature.command('status', (ctx) => ctx.reply(renderStatus(engine.status(), ctx.t), { parse_mode: 'HTML' }));
    return feature;
}
//# sourceMappingURL=status.js.map