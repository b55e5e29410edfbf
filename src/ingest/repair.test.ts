import { describe, expect, it } from 'vitest';
import { endsSentence, hasHeadlineShape, isBalanced, splitBlocks } from './blocks.js';
import { repairPage } from './repair.js';

/** Lines separated by blank lines, as the layout extraction prints them. */
function page(...lines: string[]): string {
  return lines.join('\n\n');
}

function texts(content: string): Array<[string, string]> {
  return repairPage(splitBlocks(content)).blocks.map((b) => [b.role, b.text]);
}

const BYLINE = '本报讯（记者 马超）近日，活动举行。';

describe('splitBlocks', () => {
  it('strips markdown markers, keeps line numbers, skips blank lines', () => {
    expect(splitBlocks('\n\n# 深入学习\n\n## 多彩三月\n正文。\r\n')).toEqual([
      { text: '深入学习', line: 3, level: 1 },
      { text: '多彩三月', line: 5, level: 2 },
      { text: '正文。', line: 6, level: 0 },
    ]);
  });
});

describe('line predicates', () => {
  it('endsSentence looks through closing quotes', () => {
    expect(endsSentence('量、取得实效。')).toBe(true);
    expect(endsSentence('“收到工会送来的慰问品，真是捧在手里，暖在心里。”')).toBe(true);
    expect(endsSentence('希望职工们在寒冷的冬日感受到“娘家人”')).toBe(false);
    expect(endsSentence('充分发挥基层党组织战斗堡垒作用和党员先锋模范作用')).toBe(false);
    expect(endsSentence('活动开始前,')).toBe(false);
  });
  it('isBalanced / hasHeadlineShape', () => {
    expect(isBalanced('“2024年顺义区工会建会工')).toBe(false);
    expect(hasHeadlineShape('“2024年顺义区工会建会工')).toBe(false);
    expect(hasHeadlineShape('亲子活动感受公交发展历程')).toBe(true);
    expect(hasHeadlineShape('服务大局担使命 凝心聚力抓落实 切实把主题教育成果转化为工会工作实绩实效')).toBe(true);
    expect(hasHeadlineShape('量、取得实效。')).toBe(false);
    expect(hasHeadlineShape('覆盖广泛的工会组织体系。')).toBe(false);
  });
});

describe('repairPage: page-break joins with real lines', () => {
  it('joins a word split after a full stop (…人物。北 + 京儿童医院…) across several blank lines', () => {
    const content = [
      '标题走进北京儿童医院',
      '',
      BYLINE,
      '',
      '据了解，北京儿童医院作为国家儿童医学中心，近年来，涌现出全国劳动模范、全国三八红旗手标兵以及多位首都劳动奖章获得者等一批先进模范人物。北',
      '',
      '',
      '',
      '京儿童医院工会相关负责人表示，希望通过这样的活动，把党和政府的关怀以及工会组织的温暖送到职工心坎上，让全院所有职工享受到专属服务，把这份温暖带回家。',
    ].join('\n');
    const r = repairPage(splitBlocks(content));
    expect(r.blocks.map((b) => b.role)).toEqual(['heading', 'byline', 'text']);
    expect(r.blocks[2]?.text).toContain('先进模范人物。北京儿童医院工会相关负责人表示');
    expect(r.blocks[2]?.lines).toEqual([5, 9]);
    expect(r.joins).toEqual([{ line: 5, joined: 9 }]);
  });

  it('joins 经 + 过一番辛勤的劳动', () => {
    const t = texts(
      page(
        '德胜街道总工会组织职工开展植树活动',
        BYLINE,
        '挖坑、培土、浇水、固定树苗……植树中，职工们不仅锻炼了身体，也交流了心得。经',
        '过一番辛勤的劳动，一排排新栽的树苗昂首挺立。',
      ),
    );
    expect(t[2]).toEqual(['text', '挖坑、培土、浇水、固定树苗……植树中，职工们不仅锻炼了身体，也交流了心得。经过一番辛勤的劳动，一排排新栽的树苗昂首挺立。']);
  });

  it('joins 确保抓出实 + 量、取得实效。', () => {
    const t = texts(page('海淀区总工会召开党组会', BYLINE, '加强领导指导，有力有序推进，确保抓出实', '量、取得实效。'));
    expect(t.at(-1)).toEqual(['text', '加强领导指导，有力有序推进，确保抓出实量、取得实效。']);
  });

  it('joins a paragraph that is only an opening quote fragment (“2024年顺义区工会建会工)', () => {
    const t = texts(
      page(
        '顺义区总工会持续推动“双沟通”提质增效',
        BYLINE,
        '“2024年顺义区工会建会工',
        '作要提高政治站位，切实增强责任感和紧迫感。”顺义区总工会党组成员、副主席高丰义指出。',
      ),
    );
    expect(t).toHaveLength(3);
    expect(t[2]?.[1]).toMatch(/^“2024年顺义区工会建会工作要提高政治站位/u);
  });

  it('keeps both chars of 作用 + 用，推动… (the printed text really says 作用用)', () => {
    const t = texts(
      page(
        '标题召开',
        BYLINE,
        '充分发挥基层党组织战斗堡垒作用和党员先锋模范作用',
        '用，推动党建与业务工作融合发展，为完成好各项改革任务作出新的贡献。',
      ),
    );
    expect(t[2]?.[1]).toBe('充分发挥基层党组织战斗堡垒作用和党员先锋模范作用用，推动党建与业务工作融合发展，为完成好各项改革任务作出新的贡献。');
  });

  it('joins after a closing quote that ends no sentence (感受到“娘家人” + 的浓浓关爱。)', () => {
    const t = texts(page('天桥街道总工会为一线职工“送温暖”', BYLINE, '希望职工们在寒冷的冬日感受到“娘家人”', '的浓浓关爱。'));
    expect(t[2]?.[1]).toBe('希望职工们在寒冷的冬日感受到“娘家人”的浓浓关爱。');
  });

  it('joins inside the byline paragraph (…副主席张良 + 出席会议并讲话。)', () => {
    const t = texts(page('评议会召开', '本报讯（记者 白莹）1月15日下午，会议召开。北京市总工会党组书记、副主席张良', '出席会议并讲话。'));
    expect(t).toEqual([
      ['heading', '评议会召开'],
      ['byline', '本报讯（记者 白莹）1月15日下午，会议召开。北京市总工会党组书记、副主席张良出席会议并讲话。'],
    ]);
  });

  it('joins a continuation that starts with an opening quote (开展1161场 + “双沟通”会,…)', () => {
    const t = texts(page('延庆区总工会', BYLINE, '五年来,延庆区总工会指导“三街一园八镇”开展1161场', '“双沟通”会,吸纳2506名职工入会。'));
    expect(t[2]?.[1]).toBe('五年来,延庆区总工会指导“三街一园八镇”开展1161场“双沟通”会,吸纳2506名职工入会。');
  });
});

describe('repairPage: a headline stays a headline', () => {
  it('photo heading before its caption and 摄影报道 credit is not glued to the caption', () => {
    const t = texts(
      page(
        '近年来，京台两地工会建立了广泛且深厚的交流交往关系，增进了相互理解和信任，促进了两地工会事业的共同发展。',
        '亲子活动感受公交发展历程',
        '近日，北京公交集团公司工会举办了“大手牵小手 公交伴成长”暑期职工亲子体验活动。',
        '本报记者 盛丽 通讯员 李响 摄影报道',
      ),
    );
    expect(t.map((x) => x[0])).toEqual(['text', 'heading', 'text', 'credit']);
    expect(t[1]?.[1]).toBe('亲子活动感受公交发展历程');
  });

  it('a plain headline plus sub-headline before a byline are both headings', () => {
    const t = texts(
      page(
        '上一篇的最后一句。',
        '海淀区总工会召开党组会研究部署开展党纪学习教育',
        '打造一支忠诚干净担当的工会干部队伍',
        '本报讯（记者 宗晓畅）近日，海淀区总工会召开党组会。',
      ),
    );
    expect(t.map((x) => x[0])).toEqual(['text', 'heading', 'heading', 'byline']);
  });

  it('the page banner is a banner, not a kicker', () => {
    const t = texts(
      page(
        '深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面',
        '广泛推动两新组织建会和新就业形态劳动者入会',
        '顺义区总工会持续推动“双沟通”提质增效',
        BYLINE,
      ),
    );
    expect(t.map((x) => x[0])).toEqual(['banner', 'heading', 'heading', 'byline']);
  });

  it('a headline after an unfinished paragraph stays a headline when a byline confirms it (and warns)', () => {
    const r = repairPage(splitBlocks(page('标题一', BYLINE, '这一段在版面末尾，被截断了，没有', '密云工会为职工之家和暖心驿站配备“新设施”', BYLINE)));
    expect(r.blocks.map((b) => b.role)).toEqual(['heading', 'byline', 'text', 'heading', 'byline']);
    expect(r.warnings.join('\n')).toMatch(/mid-sentence/u);
  });

  it('a short punctuation-free continuation after an unfinished paragraph is joined, not promoted', () => {
    const t = texts(page('标题一', BYLINE, '要切实突出抓好学做结合，深化理解运用，把党纪', '学习教育', '同工会的中心工作结合起来。', '下一段。'));
    expect(t.map((x) => x[0])).toEqual(['heading', 'byline', 'text', 'text']);
    expect(t[2]?.[1]).toBe('要切实突出抓好学做结合，深化理解运用，把党纪学习教育同工会的中心工作结合起来。');
  });

  it('credit lines are never glued to text', () => {
    const t = texts(page('标题', BYLINE, '会上，他指出，要精准谋划。', '本报记者 曹立栋 摄'));
    expect(t.at(-1)).toEqual(['credit', '本报记者 曹立栋 摄']);
  });
});
