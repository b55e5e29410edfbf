/**
 * The synthetic corpus: page files built from the seed pages' own sentences, so the real parser,
 * chunker, tokenizer and indexer run on text that reads like the paper.
 *
 * Every seed sentence (byline prefix removed) becomes raw material. An article takes a seed
 * article as its base (lead first, then its sentences in order), runs longer with sentences of other
 * articles, and sometimes splices two sentences at a clause boundary. Proper names are re-drawn per
 * article — district, street (`XX街道`), year, digits, reporters — so the vocabulary grows with the
 * corpus the way a real archive's does. Headlines pair an actor (`延庆区总工会`, `安华街道总工会`) with
 * an action taken from a seed headline. About one item in ten is a captioned photo (`… 摄影报道`).
 *
 * Pages hold 4–7 items under a banner line, headlines as markdown headings (as in the seeds). The
 * generator sizes the corpus by chunking each article as the indexer does (hybrid sizing:
 * `estimateTokens` with the headline prefix, 512-token ceiling), so the index holds ≈ `chunks` chunks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chunkArticle, estimateTokens, listPages, parsePage, splitSentences } from '../ingest/index.js';
import type { Article } from '../types.js';
import { fnv1a, Rng } from './random.js';

/** Chunk ceiling the corpus is sized for (the keyword-only ceiling and e5-small's maxTokens). */
export const SIZING_MAX_TOKENS = 512;

export interface SeedArticle {
  kicker: string | null;
  title: string;
  kind: Article['kind'];
  /** Body sentences in order, byline prefix removed. */
  sentences: string[];
}

/** The seed pages as raw material. */
export interface SeedMaterial {
  articles: SeedArticle[];
  reports: SeedArticle[];
  photos: SeedArticle[];
  /** Headline actions (`组织职工开展植树活动`), split from seed headlines after the actor. */
  actions: string[];
  kickers: string[];
  banner: string;
}

/** A generated article, as a sample for question synthesis. */
export interface SampleArticle {
  kicker: string | null;
  title: string;
  district: string;
  sentences: string[];
}

export interface CorpusOptions {
  /** Chunks to aim for. */
  chunks: number;
  seed: number;
  /** How many generated articles to keep as the question sample. Default 400. */
  sampleSize?: number;
}

export interface CorpusResult {
  pages: number;
  articles: number;
  /** Chunks by the generator's own count (the indexer's count may differ by a few). */
  chunks: number;
  chars: number;
  bytes: number;
  sample: SampleArticle[];
}

const BYLINE_PREFIX = /^本报[讯电]\s*[（(][^（）()]*[）)]\s*/u;
const FINAL = /[。！？；…!?;][”’」』）)]*$/u;

export const DISTRICTS = [
  '东城区', '西城区', '朝阳区', '海淀区', '丰台区', '石景山区', '门头沟区', '房山区', '通州区',
  '顺义区', '昌平区', '大兴区', '怀柔区', '平谷区', '密云区', '延庆区',
] as const;
const DISTRICT_FULL = new RegExp(`(${DISTRICTS.join('|')}|经开区)`, 'gu');
const DISTRICT_SHORT = new RegExp(`(${DISTRICTS.map((d) => d.replace(/区$/u, '')).join('|')})(?!区)`, 'gu');
const STREET = /\p{Script=Han}{2}街道/gu;
const YEAR = /20\d\d(?=年)/gu;
const DIGITS = /\d+/gu;

const STREET_CHARS = '安定和平新华永定长安金融建国光明万寿清河学院花园广安德胜朝外天桥建外双井望京酒仙劲松潘家南磨房东坝回龙观霍营东花市龙潭体育馆椿树牛街陶然亭展览路月坛西长安';
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁晨阳佳欣雪梅琳婷慧颖晓路曼曦莹宗畅岩';
const INDUSTRIES = ['教育系统', '卫健系统', '建筑业', '交通运输', '商贸', '文旅', '科技园区', '物流', '餐饮'];
const COMPANIES = ['北京住总', '首都机场安保公司', '北京公交集团', '中铁六局', '北京城建', '首钢集团', '北京地铁', '京东方', '同仁堂'];

/** Reads the seed pages into raw material. */
export function readSeedMaterial(seedsDir: string): SeedMaterial {
  const files = listPages(seedsDir);
  const articles: SeedArticle[] = [];
  let banner = '深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面';
  for (const file of files) {
    const content = fs.readFileSync(path.join(seedsDir, file), 'utf8');
    const firstLine = content.split('\n').map((l) => l.replace(/^#+\s*/u, '').trim()).find(Boolean);
    if (firstLine && /\s/u.test(firstLine) && !/[，。]/u.test(firstLine)) banner = firstLine;
    for (const a of parsePage(file, content).articles) {
      const sentences: string[] = [];
      for (const p of a.paragraphs) {
        const para = p.replace(BYLINE_PREFIX, '');
        for (const s of splitSentences(para)) {
          const text = para.slice(s.start, s.end);
          if ([...text].length >= 6 && FINAL.test(text) && !BYLINE_PREFIX.test(text)) sentences.push(text);
        }
      }
      if (sentences.length) articles.push({ kicker: a.kicker, title: a.title, kind: a.kind, sentences });
    }
  }
  if (articles.length === 0) throw new Error(`no usable seed articles in ${seedsDir}`);
  const actions = new Set<string>();
  for (const a of articles) {
    for (const part of a.title.split(' ')) {
      const m = /(?:总工会|工会)(.{4,})$/u.exec(part);
      // `工会会员2.5万人`, `工会工作高质量发展`: 工会 inside a compound, not an actor.
      if (m?.[1] && m[1].length >= 6 && !/^(会员|工作|干部)/u.test(m[1]) && !/[，,]$/u.test(m[1])) actions.add(m[1]);
    }
  }
  const kickers = [...new Set(articles.flatMap((a) => (a.kicker ? [a.kicker] : [])))];
  return {
    articles,
    reports: articles.filter((a) => a.kind === 'report'),
    photos: articles.filter((a) => a.kind === 'photo'),
    actions: [...actions],
    kickers: kickers.length ? kickers : ['多彩三月'],
    banner,
  };
}

/** Per-article substitutions: the names an article is about. */
interface Names {
  district: string;
  street: string;
  year: number;
}

function drawNames(rng: Rng): Names {
  return {
    district: rng.pick(DISTRICTS),
    street: `${rng.pick([...STREET_CHARS])}${rng.pick([...STREET_CHARS])}街道`,
    year: rng.int(2018, 2025),
  };
}

function personName(rng: Rng): string {
  const given = rng.chance(0.6) ? rng.pick([...GIVEN]) + rng.pick([...GIVEN]) : rng.pick([...GIVEN]);
  return rng.pick([...SURNAMES]) + given;
}

/** Applies an article's names to a seed sentence or headline. */
function substitute(text: string, names: Names, rng: Rng): string {
  const short = names.district.replace(/区$/u, '');
  return text
    .replace(DISTRICT_FULL, names.district)
    .replace(DISTRICT_SHORT, short)
    .replace(STREET, names.street)
    .replace(YEAR, String(names.year))
    .replace(DIGITS, (d) => (d.length >= 4 && /^20/u.test(d) ? d : randomDigits(d.length, rng)));
}

function randomDigits(n: number, rng: Rng): string {
  let s = String(rng.int(1, 9));
  for (let i = 1; i < n; i++) s += String(rng.int(0, 9));
  return s;
}

/** Two sentences spliced at a clause boundary (`A前半，B后半。`), or A unchanged when either has no clause. */
function splice(a: string, b: string, rng: Rng): string {
  const ca = a.split('，');
  const cb = b.split('，');
  if (ca.length < 2 || cb.length < 2) return a;
  const head = ca.slice(0, rng.int(1, ca.length - 1));
  const tail = cb.slice(rng.int(1, cb.length - 1));
  const out = [...head, ...tail].join('，');
  return isBalancedQuotes(out) ? out : a;
}

function isBalancedQuotes(s: string): boolean {
  const count = (c: string): number => s.split(c).length - 1;
  return count('“') === count('”') && count('（') === count('）') && count('‘') === count('’') && count('《') === count('》');
}

function headlineActor(names: Names, rng: Rng): string {
  const r = rng.next();
  if (r < 0.4) return `${names.district}总工会`;
  if (r < 0.65) return `${names.street}总工会`;
  if (r < 0.8) return `${names.district}${rng.pick(INDUSTRIES)}工会`;
  return `${rng.pick(COMPANIES)}工会`;
}

interface Item {
  kicker: string | null;
  title: string;
  paragraphs: string[];
  credit: string | null;
  sample: SampleArticle;
}

/** One report: headline, byline, body paragraphs. */
function makeReport(m: SeedMaterial, rng: Rng): Item {
  const names = drawNames(rng);
  const base = rng.pick(m.reports);
  const baseLen = base.sentences.reduce((n, s) => n + s.length, 0);
  const targetChars = Math.max(120, Math.round(baseLen * (0.6 + rng.next() * 2.4)));
  const sentences: string[] = [];
  let chars = 0;
  let src = base;
  let i = 0;
  while (chars < targetChars) {
    if (i >= src.sentences.length) {
      src = rng.pick(m.reports);
      i = rng.int(0, Math.max(0, src.sentences.length - 3));
    }
    let s = src.sentences[i++] as string;
    if (sentences.length > 0 && rng.chance(0.25)) s = splice(s, rng.pick(rng.pick(m.reports).sentences), rng);
    s = substitute(s, names, rng);
    sentences.push(s);
    chars += s.length;
  }
  const title = makeTitle(m, base, names, rng);
  const kicker = rng.chance(0.15) ? substitute(rng.pick(m.kickers), names, rng) : null;
  const byline = rng.chance(0.4) ? `记者 ${personName(rng)} 通讯员 ${personName(rng)}` : `记者 ${personName(rng)}`;
  const paragraphs = group(sentences, rng);
  paragraphs[0] = `本报讯（${byline}）${paragraphs[0] ?? ''}`;
  return { kicker, title, paragraphs, credit: null, sample: { kicker, title, district: names.district, sentences } };
}

function makeTitle(m: SeedMaterial, base: SeedArticle, names: Names, rng: Rng): string {
  if (m.actions.length && rng.chance(0.75)) {
    const ownAction = /(?:总工会|工会)(.{4,})$/u.exec(base.title.split(' ')[0] ?? '')?.[1];
    const action = ownAction && rng.chance(0.6) ? ownAction : rng.pick(m.actions);
    return substitute(`${headlineActor(names, rng)}${action}`, names, rng);
  }
  return substitute(base.title, names, rng);
}

/** A captioned photo item: short heading, 1–3 caption sentences, a `摄影报道` credit. */
function makePhoto(m: SeedMaterial, rng: Rng): Item {
  const names = drawNames(rng);
  const base = m.photos.length ? rng.pick(m.photos) : rng.pick(m.articles);
  const pool = [...base.sentences, ...rng.pick(m.reports).sentences];
  const n = rng.int(1, 3);
  const start = rng.int(0, Math.max(0, pool.length - n));
  const sentences = pool.slice(start, start + n).map((s) => substitute(s, names, rng));
  const title = substitute(base.title, names, rng);
  const credit = rng.chance(0.5) ? `本报记者 ${personName(rng)} 摄影报道` : `通讯员 ${personName(rng)} 摄影报道`;
  return { kicker: null, title, paragraphs: [sentences.join('')], credit, sample: { kicker: null, title, district: names.district, sentences } };
}

/** Sentences into paragraphs of 1–4 sentences. */
function group(sentences: string[], rng: Rng): string[] {
  const out: string[] = [];
  for (let i = 0; i < sentences.length; ) {
    const n = rng.int(1, 4);
    out.push(sentences.slice(i, i + n).join(''));
    i += n;
  }
  return out;
}

/** Chunks the indexer will make of this item (keyword sizing, with or without a model: see chunksOf). */
function countChunks(item: Item): number {
  const text = item.paragraphs.join('\n');
  const article = { id: 'x', text } as Article;
  return chunkArticle(article, { countTokens: estimateTokens, maxTokens: SIZING_MAX_TOKENS, firstId: 0 }).length;
}

function renderPage(banner: string | null, items: Item[]): string {
  const lines: string[] = [''];
  if (banner) lines.push(banner, '');
  for (const it of items) {
    if (it.kicker) lines.push(`### ${it.kicker}`, '');
    lines.push(`## ${it.title}`, '');
    for (const p of it.paragraphs) lines.push(p, '');
    if (it.credit) lines.push(it.credit, '');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes page files into `outDir` until the articles chunk into ≈ `opts.chunks` chunks.
 * Deterministic in `opts.seed` and the seed pages.
 */
export function generateCorpus(material: SeedMaterial, outDir: string, opts: CorpusOptions): CorpusResult {
  fs.mkdirSync(outDir, { recursive: true });
  const rng = new Rng(opts.seed);
  const sampleSize = opts.sampleSize ?? 400;
  const sample: SampleArticle[] = [];
  let seen = 0;
  let chunks = 0;
  let pages = 0;
  let articles = 0;
  let chars = 0;
  let bytes = 0;
  while (chunks < opts.chunks) {
    const items: Item[] = [];
    const titles = new Set<string>();
    const want = rng.int(4, 7);
    for (let tries = 0; items.length < want && chunks < opts.chunks && tries < want * 4; tries++) {
      const item = rng.chance(0.1) ? makePhoto(material, rng) : makeReport(material, rng);
      if (titles.has(`${item.kicker}|${item.title}`)) continue;
      titles.add(`${item.kicker}|${item.title}`);
      items.push(item);
      chunks += countChunks(item);
      articles++;
      // Reservoir sample (deterministic) of articles for questions.
      seen++;
      if (sample.length < sampleSize) sample.push(item.sample);
      else {
        const j = rng.int(0, seen - 1);
        if (j < sampleSize) sample[j] = item.sample;
      }
    }
    const content = renderPage(rng.chance(0.7) ? material.banner : null, items);
    const h = (fnv1a(content).toString(16).padStart(8, '0') + fnv1a(content, 0x12345678).toString(16).padStart(8, '0')).slice(0, 16);
    const file = `${String(pages).padStart(5, '0')}_${h}.txt`;
    fs.writeFileSync(path.join(outDir, file), content);
    pages++;
    chars += content.length;
    bytes += Buffer.byteLength(content);
  }
  return { pages, articles, chunks, chars, bytes, sample };
}
