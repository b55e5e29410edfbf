/**
 * The nouns of baowen, named as the retrieval field names them:
 * page file → Article → Chunk → (embedding) → Passage (a retrieved chunk) → Answer with Citations.
 * Every stage passes these plain objects; none carries I/O handles.
 */
/** The headline block as printed and as the eval files name articles: `kicker title` (kicker omitted when absent). */
export function headlineOf(a) {
    return a.kicker ? `${a.kicker} ${a.title}` : a.title;
}
/** The citation [n] of an article (its publication data included). */
export function citationOf(a, n, score) {
    const c = { n, articleId: a.id, file: a.file, title: a.title, kicker: a.kicker, byline: a.byline, kind: a.kind, score };
    if (a.meta)
        c.meta = a.meta;
    return c;
}
//# sourceMappingURL=types.js.map