/**
 * The questions the bench asks: the dev set's own questions plus questions synthesized from the
 * generated articles' headlines and sentences, phrased the way readers ask (`…是怎么回事？`,
 * `哪些单位…？`, `…有多少人？`). Deterministic in the seed.
 */
import fs from 'node:fs';
import { Rng } from './random.js';
/** Questions of a JSONL eval file (`{"question": …}` per line); [] when the file is absent. */
export function readDevQuestions(file) {
    if (!fs.existsSync(file))
        return [];
    const out = [];
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim())
            continue;
        const q = JSON.parse(line).question;
        if (typeof q === 'string' && q.trim())
            out.push(q);
    }
    return out;
}
const CLAUSE_SPLIT = /[，、：；,;:]/u;
const STRIP = /[“”‘’《》（）()「」『』。！？…!?\s]/gu;
/** A clause of 6–18 characters from a sentence, punctuation stripped; null when none fits. */
function clauseOf(sentence, rng) {
    const clauses = sentence
        .split(CLAUSE_SPLIT)
        .map((c) => c.replace(STRIP, ''))
        .filter((c) => c.length >= 6);
    if (clauses.length === 0)
        return null;
    const c = rng.pick(clauses);
    if (c.length <= 18)
        return c;
    const start = rng.int(0, c.length - 14);
    return c.slice(start, start + rng.int(8, 14));
}
function actorOf(title) {
    return /^(.{2,14}?(?:总工会|工会))/u.exec(title)?.[1] ?? null;
}
/** One synthesized question about `a`. */
export function questionAbout(a, rng) {
    const r = rng.next();
    const title = a.title.split(' ')[0] ?? a.title;
    const actor = actorOf(title);
    if (r < 0.15)
        return `${title}是怎么回事？`;
    if (r < 0.3 && actor)
        return rng.chance(0.5) ? `${actor}最近开展了哪些活动？` : `${actor}做了什么？`;
    const sentence = rng.pick(a.sentences);
    const clause = clauseOf(sentence, rng) ?? title;
    if (/\d/u.test(sentence) && rng.chance(0.5)) {
        const subject = clauseOf(sentence, rng) ?? clause;
        return `${a.district}${subject.replace(/[\d.%]+[万千百]?[人家个名次项场]?/gu, '')}有多少？`;
    }
    if (/[“"]|说|表示/u.test(sentence) && rng.chance(0.4))
        return `谁提到${clause}？`;
    const t = rng.next();
    if (t < 0.35)
        return `${clause}是什么情况？`;
    if (t < 0.6)
        return `哪些单位${clause}？`;
    if (t < 0.8)
        return `${a.district}${clause}吗？`;
    return `关于${clause}，报道是怎么说的？`;
}
/** `dev` first, then synthesized questions until there are `total`. */
export function buildQuestions(dev, sample, total, seed) {
    const rng = new Rng(seed ^ 0x51ed);
    const out = dev.slice(0, total);
    const seen = new Set(out);
    for (let tries = 0; out.length < total && sample.length > 0 && tries < total * 10; tries++) {
        const q = questionAbout(rng.pick(sample), rng);
        if (seen.has(q))
            continue;
        seen.add(q);
        out.push(q);
    }
    return out;
}
//# sourceMappingURL=questions.js.map