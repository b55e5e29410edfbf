/**
 * What a question asks for, read from its surface: terms (weighted later by IDF), whether it wants
 * a number, several items, a place or a person, and which proper names it insists on.
 * Pure and cheap: no index access here.
 */
import { normalizeForMatch, withoutPunctuation } from '../text/normalize.js';
import { queryTerms, STOPWORDS } from '../text/tokenize.js';
import type { Lang } from '../types.js';

export interface QuestionAnalysis {
  text: string;
  lang: Lang;
  terms: string[];
  wantsNumber: boolean;
  wantsMany: boolean;
  wantsPlace: boolean;
  wantsPerson: boolean;
  /** When: a date, a year, a time of day. */
  wantsTime: boolean;
  /**
   * How precise a "when" the question asks for: a year, a month, a day, a clock time, a duration, or any
   * time at all (`什么时候`). A sentence saying only `近日` does not answer `哪一天`.
   */
  timeGrain: TimeGrain | null;
  /** Which organisation / unit / company. */
  wantsOrg: boolean;
  /**
   * Place names the question is about (`石景山区` → `石景山`): if the reports never mention one,
   * they cannot answer the question, however well the rest matches.
   */
  places: string[];
  /**
   * What kind of thing a "哪些/什么 X" question asks for: X's head word (`组织生活形式` → `形式`,
   * `都配了哪些设备` → `设备`). A sentence naming X usually lists the answer.
   */
  focus: string | null;
  /**
   * The unit a "how many" question counts in (`多少件` → `件`, `多少钱` → `元`, `几点` → `点`): the
   * answer has a number in that unit. null when the question names none (`多少工会会员`).
   */
  measure: string | null;
  /**
   * The words either side of the wh-word (`蓝线裸顶鲷以什么为食` → `…以` and `为食…`). Chinese asks in
   * situ, so a sentence that answers often keeps both sides with the answer between them
   * (`以甲壳类、头足类和小鱼为食`). Punctuation removed; null when the question has no wh-word.
   */
  whFrame: { left: string; right: string } | null;
}

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[a-z]{2,}/giu;

/** zh unless the question is mostly Latin-script words. */
export function detectLang(text: string): Lang {
  const han = text.match(HAN)?.length ?? 0;
  const latin = text.match(LATIN_WORD)?.length ?? 0;
  return latin >= 2 && han <= latin ? 'en' : 'zh';
}

// `哪几…` asks which ones (a list), not how many. `多` + a dimension (`有多长`, `多高`, `多大`) asks a
// measure, but not after `许`/`很`/`好` (`许多大型企业` is "many large firms").
const NUMBER_CUE = /多少|(?<!哪)几|(?<![许很好诸众更])多[大长高远深宽厚重快]|how many|how much|how (?:long|tall|high|far|big|large|deep|wide)|what number|数量|数目|比例|百分之/iu;
const MANY_CUE = /哪些|哪几|有哪|都有|都配|都是|分别|which (?:units|unions|districts|places|organi[sz]ations)|what are|list/iu;
const PLACE_CUE = /哪里|哪儿|在哪|什么地方|何地|去哪|到哪|where/iu;
const PERSON_CUE = /谁|哪位|叫什么|名字|什么人|who|whose|whom/iu;
export type TimeGrain = 'year' | 'month' | 'day' | 'clock' | 'span' | 'any';
/** Most precise first: `哪一年的哪一天` asks for a day. */
const TIME_CUES: readonly [TimeGrain, RegExp][] = [
  ['clock', /几点|几时|what time/iu],
  ['day', /哪一?天|哪一?日|几号|几日|what date|which day/iu],
  ['month', /几月|哪个月|which month/iu],
  ['year', /哪一?年|哪个年份|what year|which year/iu],
  ['span', /多久|多长时间|how long/iu],
  ['any', /什么时候|何时|when/iu],
];

function timeGrainOf(text: string): TimeGrain | null {
  for (const [grain, cue] of TIME_CUES) if (cue.test(text)) return grain;
  return null;
}
const ORG_CUE = /哪个单位|哪家|哪一?所|哪个组织|什么组织|什么机构|哪个机构|哪个公司|什么公司|哪个部门|which (?:company|organi[sz]ation|unit)/iu;

const PLACE_SUFFIXES = new Set(['省', '市', '区', '县', '镇', '乡', '街道', '地区', '自治区']);
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * Administrative place names the question names, as stems (`石景山区` → `景山`/`石景山`, `天津市` → `天津`).
 * Read from word segmentation so that common words ending in a suffix (`小区`, `社区`, `城市`) are not names,
 * and a stem stops at a function word (`昌平有个镇` names no `有个`).
 */
export function extractPlaces(text: string): string[] {
  const segs = [...segmenter.segment(normalizeForMatch(text))].map((s) => s.segment);
  const out = new Set<string>();
  segs.forEach((seg, i) => {
    if (!/^\p{Script=Han}+$/u.test(seg)) return;
    if (PLACE_SUFFIXES.has(seg)) {
      // Suffix segmented on its own: the name is the word(s) before it, up to two segments.
      let stem = '';
      for (let j = i - 1; j >= 0 && j >= i - 2 && stem.length < 2; j--) {
        const prev = segs[j] as string;
        if (!/^\p{Script=Han}+$/u.test(prev) || STOPWORDS.has(prev) || TIME_WORDS.has(prev)) break;
        stem = prev + stem;
      }
      if (stem.length >= 2) out.add(stem);
      return;
    }
    const suffix = [...PLACE_SUFFIXES].find((x) => seg.endsWith(x));
    if (suffix && seg.length - suffix.length >= 2) out.add(seg.slice(0, seg.length - suffix.length));
  });
  return [...out];
}

const TIME_WORDS = new Set(['去年', '今年', '明年', '近日', '最近', '目前', '全国', '全市', '本市', '该', '各']);

const WH_FOCUS = /(?:哪些|什么|哪种|哪类|哪个|哪项|哪几)([^，。？！?,!；;、\s]{1,12})/u;
const FOCUS_SKIP = new Set(['的', '地', '样', '是', '呢', '吗', '了']);

/** Head word of the phrase after a wh-word: the last dictionary word of two or more characters. */
export function extractFocus(text: string): string | null {
  const m = WH_FOCUS.exec(normalizeForMatch(text));
  if (!m) return null;
  const words = [...segmenter.segment(m[1] as string)]
    .filter((s) => s.isWordLike && !FOCUS_SKIP.has(s.segment))
    .map((s) => s.segment);
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i] as string;
    if (w.length >= 2 && !STOPWORDS.has(w)) return w;
  }
  return null;
}

const MEASURE = /(?:多少|几)(钱|元|人|名|位|家|件|个|场|次|年|天|万|项|处|所|条|种|点|岁|公里|米|平方米|小时|分钟|棵|株|只|台|辆|本|册|张|座|栋|间|块|份|批|届|期|轮|篇|首|部|支|队|组|户|周|月|倍|吨|斤|亩|公顷)/u;
const MEASURE_ALIASES: Record<string, string> = { 钱: '元' };

export function extractMeasure(text: string): string | null {
  const m = MEASURE.exec(text);
  if (!m) return null;
  const unit = m[1] as string;
  return Object.hasOwn(MEASURE_ALIASES, unit) ? MEASURE_ALIASES[unit]! : unit;
}

export function analyzeQuestion(question: string): QuestionAnalysis {
  const text = question.trim();
  const timeGrain = timeGrainOf(text);
  return {
    text,
    lang: detectLang(text),
    terms: queryTerms(text),
    wantsNumber: NUMBER_CUE.test(text),
    wantsMany: MANY_CUE.test(text),
    wantsPlace: PLACE_CUE.test(text),
    wantsPerson: PERSON_CUE.test(text),
    wantsTime: timeGrain !== null,
    timeGrain,
    wantsOrg: ORG_CUE.test(text),
    places: extractPlaces(text),
    focus: extractFocus(text),
    measure: extractMeasure(text),
    whFrame: whFrameOf(text),
  };
}

// The longer alternatives first, so `哪一年` is one wh-word, not `哪` + `一年`.
const WH_WORD = /什么|哪一?[些个位家种类项所里儿年月天日条次]|哪|谁|多少|几|何[时地处人种]?|怎么样|怎样|怎么|如何|为什么|为何|多[大长高远深宽厚重快]/u;
const FRAME_CHARS = 4;

export function whFrameOf(question: string): QuestionAnalysis['whFrame'] {
  const plain = withoutPunctuation(normalizeForMatch(question));
  const m = WH_WORD.exec(plain);
  if (!m) return null;
  const after = plain.slice(m.index + m[0].length);
  // `什么是X` is answered as `X是…`: the copula puts what is asked about first.
  if (m.index === 0 && after.startsWith('是') && after.length > 1) return { left: `${after.slice(1)}是`.slice(-FRAME_CHARS), right: '' };
  return { left: plain.slice(Math.max(0, m.index - FRAME_CHARS), m.index), right: after.slice(0, FRAME_CHARS) };
}
