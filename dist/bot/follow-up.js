/**
 * Is a message a follow-up ("还有吗？", "详细一点", "more?") that asks for more on the previous
 * question, rather than a new question?
 *
 * Not a list of phrases. A message is a follow-up when it
 *  1. is short (≤ {@link MAX_FOLLOW_UP_CHARS} letters/digits, ≤ 6 words),
 *  2. asks to continue: one of its words is a continuation word (还有 再 多 更多 别的 其他 详细 具体
 *     继续 …, more else other another detail next …, or 再/还/更/多 + a function word: 再来 多说), and
 *  3. names nothing new: every other word is a function word or particle (the tokenizer's stopwords
 *     plus a small closed set of request words: 能 请 给 说 讲 点 些 条 看看 报道 …) or a word the
 *     corpus does not know. A word the reports use (`顺义`, `植树`, `女职工`) makes it a new question.
 *
 * Words come from `Intl.Segmenter` (the same ICU dictionary the keyword index uses), so unseen
 * phrasings built from those words (`能再多说几句吗`, `其他的呢？还有别的报道吗`) are recognised, and
 * `顺义还有吗` is not (顺义 is a corpus word).
 */
import { normalizeForMatch } from '../text/normalize.js';
import { STOPWORDS } from '../text/tokenize.js';
export const MAX_FOLLOW_UP_CHARS = 15;
const MAX_WORDS = 6;
/** Words that ask for more of the same. */
const CONTINUE = new Set([
    '还有', '还', '再', '多', '更多', '多些', '多点', '更', '别的', '其他', '其它', '另外', '详细', '具体', '继续', '接着', '然后', '补充', '展开',
    'more', 'else', 'other', 'others', 'another', 'further', 'detail', 'details', 'detailed', 'continue', 'next', 'again', 'elaborate',
]);
/** Request words and particles that name no topic (a closed class, beyond the tokenizer's stopwords). */
const FUNCTION_WORDS = new Set([
    '吗', '呢', '吧', '啊', '呀', '嘛', '么', '哦', '嗯', '呃', '哈', '啦', '的', '了', '是', '有', '没有', '没', '不', '要', '想',
    '能', '能不能', '可以', '可不可以', '会', '请', '麻烦', '给', '我', '你', '您', '他', '说', '讲', '说说', '讲讲', '谈谈', '介绍', '一下',
    '点', '一点', '一些', '些', '几', '几个', '几条', '几句', '句', '条', '个', '来', '看', '看看', '知道', '了解', '告诉', '那', '那么', '这',
    '报道', '文章', '内容', '消息', '新闻', '信息', '原句', '例子', '方面', '情况', '地方', '东西', '好', '呗', '一', '些什么', '点儿',
    'tell', 'me', 'show', 'give', 'any', 'anything', 'something', 'some', 'is', 'there', 'please', 'pls', 'can', 'could', 'you', 'i',
    'want', 'about', 'ones', 'one', 'quotes', 'quote', 'reports', 'report', 'info', 'information', 'us', 'bit', 'little', 'lot',
]);
/** Continuation morphemes: a two-character word of one of these and a function word (`再来`, `多说`, `还要`) asks for more too. */
const CONTINUE_MORPHEMES = new Set(['再', '还', '更', '多']);
function asksToContinue(w) {
    if (CONTINUE.has(w))
        return true;
    const [a, b, ...rest] = [...w];
    return rest.length === 0 && a !== undefined && b !== undefined && CONTINUE_MORPHEMES.has(a) && (FUNCTION_WORDS.has(b) || CONTINUE.has(b));
}
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
/**
 * `knows(word)`: whether the indexed reports use the word (keyword document frequency > 0).
 *
 * @example
 * isFollowUp('还有吗？', knows)      // true
 * isFollowUp('顺义还有吗？', knows)  // false: 顺义 is something the reports talk about
 */
export function isFollowUp(text, knows) {
    const norm = normalizeForMatch(text).toLowerCase();
    const letters = [...norm].filter((c) => /[\p{L}\p{N}]/u.test(c));
    if (letters.length === 0)
        return false;
    const words = [...segmenter.segment(norm)].filter((s) => s.isWordLike).map((s) => s.segment);
    const han = letters.filter((c) => /\p{Script=Han}/u.test(c)).length;
    // Chinese: characters; English: words (a Latin word is one unit of meaning).
    if (han > MAX_FOLLOW_UP_CHARS || words.length > MAX_WORDS)
        return false;
    let asksMore = false;
    for (const w of words) {
        if (asksToContinue(w)) {
            asksMore = true;
            continue;
        }
        if (FUNCTION_WORDS.has(w) || STOPWORDS.has(w))
            continue;
        // A word the corpus knows names what the question is about: it is a new question.
        if (knows(w))
            return false;
    }
    return asksMore;
}
//# sourceMappingURL=follow-up.js.map