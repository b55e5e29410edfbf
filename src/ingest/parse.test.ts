import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Article } from '../types.js';
import { PageParseError, parsePage, splitHeadline } from './parse.js';

const SEEDS = fileURLToPath(new URL('../../seeds/', import.meta.url));
const FILES = readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort();
const parsed = new Map(FILES.map((f) => [f, parsePage(f, readFileSync(path.join(SEEDS, f), 'utf8'))]));
const all: Article[] = [...parsed.values()].flatMap((r) => r.articles);

function byPrefix(prefix: string): Article[] {
  const file = FILES.find((f) => f.startsWith(prefix));
  if (!file) throw new Error(`no seed ${prefix}`);
  return parsed.get(file)?.articles ?? [];
}

/** headline block as the eval files see it: kicker + ' ' + title. */
function headBlock(a: Article): string {
  return a.kicker ? `${a.kicker} ${a.title}` : a.title;
}

/** Every article on the five pages, in page order: [page, title substring, kind]. Read off the pages by hand. */
const EXPECTED: Array<[string, string, 'report' | 'photo']> = [
  ['000', '顺义区总工会持续推动“双沟通”提质增效', 'report'],
  ['000', '衣(医)食住行职工生活服务项目走进北京儿童医院', 'report'],
  ['000', '首都机场安保公司职工走进社区普及安全知识', 'report'],
  ['000', '德胜街道总工会组织职工开展植树活动', 'report'],
  ['000', '海淀区总工会召开党组会研究部署开展党纪学习教育', 'report'],
  ['000', '面对面听心声', 'photo'],
  ['001', '通州区总工会推动构建纵横交织、覆盖广泛的组织体系', 'report'],
  ['001', '中关村科学城非公高科技企业多项活动温暖“半边天”', 'report'],
  ['001', '昌平崔村镇总工会举办女职工普法讲座', 'report'],
  ['001', '经开区总工会开展植树志愿活动', 'report'],
  ['001', '朝外街道女职工体验非遗技艺', 'report'],
  ['001', '幸福在指尖 彩绘玻璃杯', 'photo'],
  ['001', '北京住总外施工会“订单式”开工第一课开讲', 'report'],
  ['002', '平谷打造充满活力、坚强有力的工会组织', 'report'],
  ['002', '北京住总集团工会举办帮扶产品大集', 'report'],
  ['002', '延庆区总工会“向前一步”吸纳新就业形态劳动者入会', 'report'],
  ['002', '主题黑板报宣讲安全知识', 'photo'],
  ['002', '朝阳区卫健系统职工学习沟通技巧', 'report'],
  ['002', '劳模班话劳模', 'photo'],
  ['003', '2024年度北京市总工会机关系统基层党组织书记抓党建工作述职评议会召开', 'report'],
  ['003', '东城区总工会服务保障职工温暖过节', 'report'],
  ['003', '窦店镇总工会打造户外劳动者“加油站”', 'report'],
  ['003', '建外街道总工会家庭日开启“梦幻之旅”', 'report'],
  ['003', '暖“新”更暖心', 'photo'],
  ['003', '天桥街道总工会为一线职工“送温暖”', 'report'],
  ['004', '市总工会重点工作月调度会议召开', 'report'],
  ['004', '台北市劳工总工会到北京康复医院参观交流', 'report'],
  ['004', '亲子活动感受公交发展历程', 'photo'],
  ['004', '密云工会为职工之家和暖心驿站配备“新设施”', 'report'],
  ['004', '经开区总工会为一线职工送文化', 'report'],
  ['004', '中铁六局交通分公司工会开展“小候鸟”夏令营', 'report'],
];

/** Every (file, title) pair from /work/shared/eval/dev.jsonl and topics.jsonl (substrings of kicker + ' ' + title). */
const EVAL_TITLES: Array<[string, string]> = [
  ['000', '首都机场安保公司职工走进社区'],
  ['000', '德胜街道总工会组织职工开展植树活动'],
  ['000', '顺义区总工会持续推动'],
  ['000', '海淀区总工会召开党组会'],
  ['001', '通州区总工会推动构建纵横交织'],
  ['001', '经开区总工会开展植树志愿活动'],
  ['001', '昌平崔村镇总工会举办女职工普法讲座'],
  ['001', '中关村科学城非公高科技企业'],
  ['001', '北京住总外施工会'],
  ['001', '朝外街道女职工体验非遗技艺'],
  ['001', '幸福在指尖 彩绘玻璃杯'],
  ['002', '平谷打造充满活力'],
  ['002', '延庆区总工会'],
  ['002', '主题黑板报宣讲安全知识'],
  ['003', '暖“新”更暖心'],
  ['003', '窦店镇总工会打造户外劳动者'],
  ['003', '天桥街道总工会为一线职工'],
  ['003', '基层党组织书记抓党建工作述职评议会'],
  ['003', '建外街道总工会家庭日'],
  ['003', '东城区总工会服务保障职工温暖过节'],
  ['004', '台北市劳工总工会到北京康复医院参观交流'],
  ['004', '密云工会为职工之家和暖心驿站'],
  ['004', '中铁六局交通分公司工会开展'],
  ['004', '亲子活动感受公交发展历程'],
  ['004', '国家大剧院公益演出走进北京亦庄'],
  ['004', '市总工会重点工作月调度会议召开'],
];

describe('parsePage on the five seed pages', () => {
  it('finds exactly the 31 articles, in page order, with the right kind', () => {
    expect(FILES).toHaveLength(5);
    expect(all).toHaveLength(31);
    const got = FILES.flatMap((f) => (parsed.get(f)?.articles ?? []).map((a) => [f.slice(0, 3), a.title, a.kind]));
    expect(got).toHaveLength(EXPECTED.length);
    EXPECTED.forEach(([page, title, kind], i) => {
      const [gotPage, gotTitle, gotKind] = got[i] as [string, string, string];
      expect(gotPage, `#${i} ${title}`).toBe(page);
      expect(gotTitle, `#${i}`).toContain(title);
      expect(gotKind, `#${i} ${title}`).toBe(kind);
    });
  });

  it('every eval title is a substring of exactly one headline block on its page', () => {
    for (const [page, title] of EVAL_TITLES) {
      const hits = byPrefix(page).filter((a) => headBlock(a).includes(title));
      expect(hits, `${page} ${title}`).toHaveLength(1);
    }
  });

  it('parses without warnings and fills positions, ids, text and hash', () => {
    for (const [file, r] of parsed) {
      expect(r.warnings, file).toEqual([]);
      const stem = file.replace(/\.txt$/u, '');
      r.articles.forEach((a, i) => {
        expect(a.file).toBe(file);
        expect(a.position).toBe(i);
        expect(a.id).toMatch(new RegExp(`^${stem}-[0-9a-f]{8}$`, 'u'));
        expect(a.text).toBe(a.paragraphs.join('\n'));
        expect(a.hash).toMatch(/^[0-9a-f]{64}$/u);
        expect(a.title).not.toMatch(/#|^\s|\s$/u);
        expect(a.paragraphs.length).toBeGreaterThan(0);
      });
    }
    expect(new Set(all.map((a) => a.id)).size).toBe(31);
  });

  it('ids and hashes are stable for the same input and change with the content', () => {
    const file = FILES[0] as string;
    const content = readFileSync(path.join(SEEDS, file), 'utf8');
    const again = parsePage(file, content).articles;
    expect(again.map((a) => [a.id, a.hash])).toEqual(byPrefix('000').map((a) => [a.id, a.hash]));
    const edited = parsePage(file, content.replace('怀柔灵慧山', '怀柔灵秀山')).articles;
    const changed = edited.filter((a, i) => a.hash !== again[i]?.hash);
    expect(changed.map((a) => a.title)).toEqual(['德胜街道总工会组织职工开展植树活动']);
    expect(edited.map((a) => a.id)).toEqual(again.map((a) => a.id));
  });

  it('never treats the page banner as an article or a kicker', () => {
    for (const a of all) {
      expect(headBlock(a)).not.toContain('深入学习贯彻党的二十大精神');
      expect(a.text).not.toContain('奋力开拓首都工会工作新局面');
    }
  });
});

describe('headlines: kickers and sub-headlines', () => {
  const find = (t: string): Article => {
    const a = all.find((x) => headBlock(x).includes(t));
    if (!a) throw new Error(`no article ${t}`);
    return a;
  };

  it('markdown section labels are kickers (### 多彩三月, ## 寒冬送暖 工会行动)', () => {
    expect(find('中关村科学城').kicker).toBe('多彩三月');
    expect(find('中关村科学城').title).toBe('中关村科学城非公高科技企业多项活动温暖“半边天”');
    expect(find('东城区总工会服务保障').kicker).toBe('寒冬送暖 工会行动');
    expect(find('窦店镇').kicker).toBeNull();
  });

  it('sub-headlines are appended after one space (plain and markdown pages)', () => {
    expect(find('通州区总工会').title).toBe('通州区总工会推动构建纵横交织、覆盖广泛的组织体系 今年将新发展工会会员2.5万人');
    expect(find('海淀区总工会').title).toBe('海淀区总工会召开党组会研究部署开展党纪学习教育 打造一支忠诚干净担当的工会干部队伍');
    expect(find('述职评议会').title).toBe(
      '2024年度北京市总工会机关系统基层党组织书记抓党建工作述职评议会召开 以高质量党建引领首都工会工作高质量发展',
    );
    expect(find('月调度会议').title).toBe(
      '市总工会重点工作月调度会议召开 服务大局担使命 凝心聚力抓落实 切实把主题教育成果转化为工会工作实绩实效',
    );
    for (const t of ['通州区总工会', '海淀区总工会', '述职评议会', '月调度会议']) expect(find(t).kicker).toBeNull();
  });

  it('a first line naming no actor above one that does is the kicker (plain page)', () => {
    expect(find('顺义区总工会').kicker).toBe('广泛推动两新组织建会和新就业形态劳动者入会');
    expect(find('顺义区总工会').title).toBe('顺义区总工会持续推动“双沟通”提质增效');
    expect(find('国家大剧院').kicker).toBe('国家大剧院公益演出走进北京亦庄生物医药园');
    expect(find('国家大剧院').title).toBe('经开区总工会为一线职工送文化');
  });

  it('photo headings stay whole and unglued (亲子活动感受公交发展历程, 幸福在指尖 彩绘玻璃杯)', () => {
    const kid = find('亲子活动');
    expect(kid.title).toBe('亲子活动感受公交发展历程');
    expect(kid.paragraphs).toHaveLength(1);
    expect(kid.paragraphs[0]).toMatch(/^近日，北京公交集团公司工会举办了/u);
    expect(find('幸福在指尖').title).toBe('幸福在指尖 彩绘玻璃杯');
    expect(find('幸福在指尖').paragraphs[0]).toMatch(/^近日,北京市和平里医院/u);
  });

  it('splitHeadline rules', () => {
    expect(splitHeadline(['面对面听心声'])).toEqual({ kicker: null, title: '面对面听心声' });
    expect(splitHeadline(['多彩三月', '中关村科学城活动'])).toEqual({ kicker: '多彩三月', title: '中关村科学城活动' });
    expect(splitHeadline(['引题行', '主题工会行', '副题行'])).toEqual({ kicker: '引题行', title: '主题工会行 副题行' });
  });
});

describe('bylines and credits', () => {
  const find = (t: string): Article => all.find((x) => headBlock(x).includes(t)) as Article;

  it('report bylines, full- and half-width brackets', () => {
    const a = find('首都机场安保公司');
    expect(a.byline).toBe('记者 周美玉 通讯员 于佳慧');
    expect([a.reporters, a.correspondents, a.photographers]).toEqual([['周美玉'], ['于佳慧'], []]);
    expect(find('昌平崔村镇').byline).toBe('记者 周美玉'); // `本报讯 (记者 周美玉) 近日,`
    expect(find('朝阳区卫健系统').byline).toBe('记者 刘欣欣 通讯员 阚旭'); // `本报讯(记者 刘欣欣 通讯员 阚旭)`
    expect(find('窦店镇').byline).toBe('通讯员 晁小争');
    expect(find('窦店镇').reporters).toEqual([]);
  });

  it('keeps the byline paragraph as printed', () => {
    expect(find('密云工会').paragraphs[0]).toMatch(/^本报讯（记者 王路曼）“这是新配备的医药箱和微波炉/u);
    expect(find('通州区总工会').paragraphs[0]).toMatch(/^本报讯 \(记者 宗晓畅\) 近日,/u);
  });

  it('a 摄 credit after a report names its photographer and is not a paragraph', () => {
    const tz = find('通州区总工会');
    expect(tz.kind).toBe('report');
    expect(tz.photographers).toEqual(['曹立栋']);
    expect(tz.byline).toBe('记者 宗晓畅 摄影 曹立栋');
    expect(tz.text).not.toContain('曹立栋 摄');
    const zz = find('北京住总集团工会举办帮扶产品大集');
    expect(zz.byline).toBe('记者 崔欣 通讯员 张慕群 摄影 刘晓翠');
    expect(zz.photographers).toEqual(['刘晓翠']);
    expect(zz.text).not.toContain('刘晓翠 摄');
  });

  it('photo items take names from the 摄影报道 credit', () => {
    const a = find('面对面听心声');
    expect(a.kind).toBe('photo');
    expect(a.byline).toBe('记者 宗晓畅 通讯员 高岩 摄影报道');
    expect([a.reporters, a.correspondents, a.photographers]).toEqual([['宗晓畅'], ['高岩'], ['宗晓畅', '高岩']]);
    expect(a.text).not.toContain('摄影报道');
    const lm = find('劳模班话劳模');
    expect(lm.byline).toBe('记者 于佳 边磊 通讯员 魏平 摄影报道');
    expect(lm.photographers).toEqual(['于佳', '边磊', '魏平']);
    expect(find('主题黑板报').byline).toBe('通讯员 张海伦 摄影报道');
    expect(find('幸福在指尖').byline).toBe('记者 边磊 摄影报道');
  });

  it('no paragraph anywhere is a credit line or a heading', () => {
    for (const a of all) {
      for (const p of a.paragraphs) {
        expect(p).not.toMatch(/(摄影报道|\s摄)$/u);
        expect(p).not.toMatch(/^#/u);
      }
    }
  });
});

describe('page-break repair on the real pages', () => {
  const text = all.map((a) => a.text).join('\n');

  it('glues the known splits', () => {
    for (const joined of [
      '先进模范人物。北京儿童医院工会相关负责人',
      '交流了心得。经过一番辛勤的劳动',
      '确保抓出实量、取得实效。',
      '\n“2024年顺义区工会建会工作要提高政治站位',
      '党员先锋模范作用用，推动党建',
      '感受到“娘家人”的浓浓关爱。',
      '副主席张良出席会议并讲话。',
      '开展1161场“双沟通”会',
      '累计配备了2000余件服务设施',
      '小心翼翼在树木根部浇水;',
    ]) {
      expect(text, joined).toContain(joined);
    }
  });

  it('every paragraph ends with sentence-final punctuation (so none was left split)', () => {
    // No exceptions are needed on these pages: every paragraph, including the last of each
    // article and every photo caption, ends with 。！？；… (optionally followed by a closing quote).
    for (const a of all) {
      for (const p of a.paragraphs) expect(p, `${a.title}: ${p.slice(-20)}`).toMatch(/[。！？；…!?;][”’）)」]*$/u);
    }
  });

  it('no paragraph starts like the tail of a split word or sentence', () => {
    for (const a of all) {
      for (const p of a.paragraphs) expect(p, `${a.title}: ${p.slice(0, 20)}`).not.toMatch(/^[，、。；,;：:）)”]/u);
    }
  });

  it('paragraph counts match the printed paragraphs (spot checks)', () => {
    const counts = (t: string): number => (all.find((x) => headBlock(x).includes(t)) as Article).paragraphs.length;
    expect(counts('顺义区总工会')).toBe(6);
    expect(counts('衣(医)食住行')).toBe(6);
    expect(counts('海淀区总工会')).toBe(3);
    expect(counts('经开区总工会开展植树')).toBe(4);
    expect(counts('天桥街道')).toBe(3);
  });
});

describe('malformed pages', () => {
  it('an empty page throws PageParseError naming the file', () => {
    expect(() => parsePage('009_empty.txt', '')).toThrow(PageParseError);
    expect(() => parsePage('009_empty.txt', '\n \n\t\n')).toThrow(/009_empty\.txt/u);
  });

  it('a page with no article throws PageParseError naming the file', () => {
    expect(() => parsePage('010_bad.txt', '只有一段没有标题的正文。\n\n又一段。')).toThrow(/010_bad\.txt.*no article/u);
    expect(() => parsePage('011_banner.txt', '深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面\n')).toThrow(PageParseError);
  });

  it('a new page in the same style parses (generalization smoke test)', () => {
    const page = [
      '深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面',
      '',
      '丰台区总工会开展职工健步走活动',
      '',
      '本报讯 (记者 张三 通讯员 李四 王五) 近日,丰台区总工会在园博园举办职工健步走活动,300余名职工参加。活动中,职工们',
      '',
      '',
      '沿湖畔步道行进,感受春日美景。',
      '',
      '本报记者 赵六 摄',
      '',
      '## 书香润心',
      '',
      '近日,某公司工会举办读书分享会,职工们交流读书心得。',
      '',
      '通讯员 钱七 摄影报道',
    ].join('\n');
    const r = parsePage('099_new.txt', page);
    expect(r.warnings).toEqual([]);
    expect(r.articles.map((a) => [a.title, a.kind, a.byline])).toEqual([
      ['丰台区总工会开展职工健步走活动', 'report', '记者 张三 通讯员 李四 王五 摄影 赵六'],
      ['书香润心', 'photo', '通讯员 钱七 摄影报道'],
    ]);
    expect(r.articles[0]?.paragraphs).toEqual([
      '本报讯 (记者 张三 通讯员 李四 王五) 近日,丰台区总工会在园博园举办职工健步走活动,300余名职工参加。活动中,职工们沿湖畔步道行进,感受春日美景。',
    ]);
  });

  it('gives -2 to a second article with the same headline on one page', () => {
    const page = ['同题标题工会', '', '本报讯（记者 甲）第一篇。', '', '同题标题工会', '', '本报讯（记者 乙）第二篇。'].join('\n');
    const ids = parsePage('050_dup.txt', page).articles.map((a) => a.id);
    expect(ids[1]).toBe(`${ids[0]}-2`);
  });
});
