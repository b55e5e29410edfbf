/**
 * English → Chinese glossary of the union-news domain, for keyword-only mode: BM25 over Chinese text
 * cannot match English words, so English *topics* are mapped to the Chinese terms the reports use.
 * General vocabulary of the domain and Beijing's place names — not phrases from any one report.
 * (Questions are not translated: a quoted answer must be chosen by meaning, which needs the model.)
 */
import { normalizeForMatch } from './normalize.js';
const GLOSSARY = {
    // Organisations and people
    'federation of trade unions': ['总工会'],
    'trade union': ['工会'],
    'trade unions': ['工会'],
    union: ['工会'],
    unions: ['工会'],
    'labour union': ['工会'],
    'labor union': ['工会'],
    workers: ['职工'],
    worker: ['职工'],
    employees: ['职工'],
    staff: ['职工'],
    'women workers': ['女职工'],
    'female workers': ['女职工'],
    women: ['女职工', '妇女'],
    'model workers': ['劳模', '劳动模范'],
    'model worker': ['劳模', '劳动模范'],
    'outdoor workers': ['户外劳动者'],
    'outdoor worker': ['户外劳动者'],
    couriers: ['快递员', '快递小哥'],
    courier: ['快递员', '快递小哥'],
    'delivery riders': ['外卖配送员', '外卖'],
    'food delivery': ['外卖'],
    'new forms of employment': ['新就业形态'],
    'gig workers': ['新就业形态劳动者'],
    'platform workers': ['新就业形态劳动者'],
    'migrant workers': ['农民工'],
    children: ['子女', '孩子', '亲子'],
    kids: ['子女', '孩子', '亲子'],
    family: ['家庭', '亲子'],
    families: ['家庭', '亲子'],
    volunteers: ['志愿者'],
    volunteer: ['志愿'],
    'party members': ['党员'],
    // Activities and topics
    'tree planting': ['植树'],
    'tree-planting': ['植树'],
    'planting trees': ['植树'],
    trees: ['植树', '树木'],
    safety: ['安全'],
    'work safety': ['安全生产'],
    'production safety': ['安全生产'],
    'safety education': ['安全教育', '安全'],
    'fire safety': ['消防安全'],
    training: ['培训'],
    law: ['法律'],
    legal: ['法律'],
    'legal education': ['普法'],
    rights: ['权益'],
    'rest station': ['驿站'],
    'rest stations': ['驿站'],
    'warm station': ['暖心驿站'],
    'warm stations': ['暖心驿站'],
    'warmth stations': ['暖心驿站'],
    'sending warmth': ['送温暖'],
    winter: ['冬', '寒冬'],
    'spring festival': ['春节'],
    condolences: ['慰问'],
    visits: ['慰问', '走访'],
    concert: ['音乐会', '演出'],
    performance: ['演出'],
    culture: ['文化'],
    'intangible cultural heritage': ['非遗'],
    'poverty alleviation': ['帮扶'],
    'rural revitalization': ['乡村振兴'],
    'party building': ['党建'],
    'party discipline': ['党纪'],
    'labour disputes': ['劳动争议'],
    'labor disputes': ['劳动争议'],
    mediation: ['调解'],
    membership: ['会员', '入会'],
    members: ['会员'],
    'joining the union': ['入会'],
    'summer camp': ['夏令营'],
    hospital: ['医院'],
    rehabilitation: ['康复'],
    'public transport': ['公交'],
    bus: ['公交'],
    airport: ['机场'],
    construction: ['施工', '建设'],
    // Places
    beijing: ['北京'],
    'economic-technological development area': ['经开区', '经济技术开发区', '亦庄'],
    'economic and technological development area': ['经开区', '经济技术开发区', '亦庄'],
    'development area': ['开发区', '经开区'],
    'e-town': ['经开区', '亦庄'],
    yizhuang: ['亦庄'],
    dongcheng: ['东城'],
    xicheng: ['西城'],
    chaoyang: ['朝阳'],
    haidian: ['海淀'],
    fengtai: ['丰台'],
    shijingshan: ['石景山'],
    mentougou: ['门头沟'],
    fangshan: ['房山'],
    tongzhou: ['通州'],
    shunyi: ['顺义'],
    changping: ['昌平'],
    daxing: ['大兴'],
    huairou: ['怀柔'],
    pinggu: ['平谷'],
    miyun: ['密云'],
    yanqing: ['延庆'],
    zhongguancun: ['中关村'],
    taipei: ['台北'],
    taiwan: ['台湾', '台北'],
};
const PHRASES = Object.keys(GLOSSARY).sort((a, b) => b.length - a.length);
/**
 * The Chinese terms an English text's words and phrases map to (longest phrase first, each word used once),
 * joined by spaces; '' when nothing maps.
 */
export function translateTerms(text) {
    let rest = ` ${normalizeForMatch(text).replace(/[^a-z0-9\- ]+/gu, ' ')} `;
    const out = [];
    for (const phrase of PHRASES) {
        const needle = ` ${phrase} `;
        while (rest.includes(needle)) {
            out.push(...GLOSSARY[phrase]);
            rest = rest.replace(needle, ' | ');
        }
    }
    return [...new Set(out)].join(' ');
}
//# sourceMappingURL=glossary.js.map