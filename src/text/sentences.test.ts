import { describe, expect, it } from 'vitest';
import { sentencePieces, sentenceTexts, splitSentences } from './sentences.js';

describe('splitSentences', () => {
  it('splits on full-width ends and keeps closing quotes with the sentence', () => {
    const text = '“收到工会送来的慰问品，真是捧在手里，暖在心里。”活动受到欢迎！你来吗？';
    expect(sentenceTexts(text)).toEqual([
      '“收到工会送来的慰问品，真是捧在手里，暖在心里。”',
      '活动受到欢迎！',
      '你来吗？',
    ]);
  });

  it('splits on half-width ! ? but never on commas or on ; (a ; joins clauses of one sentence)', () => {
    expect(sentenceTexts('海新能源工会邀请造型师,讲解美妆;安天网络工会组织读书会!好吗?')).toEqual([
      '海新能源工会邀请造型师,讲解美妆;安天网络工会组织读书会!',
      '好吗?',
    ]);
    expect(sentenceTexts('一是建机制；二是强服务。三是抓落实。')).toEqual(['一是建机制；二是强服务。', '三是抓落实。']);
  });

  it('treats …… as one end and keeps a closing quote after it', () => {
    expect(sentenceTexts('挖坑、培土、浇水、固定树苗……植树中，职工们交流了心得。')).toEqual([
      '挖坑、培土、浇水、固定树苗……',
      '植树中，职工们交流了心得。',
    ]);
    expect(sentenceTexts('他说：“银线蕨、网纹草……”大家笑了。')).toEqual(['他说：“银线蕨、网纹草……”', '大家笑了。']);
  });

  it('does not split numbers with dots', () => {
    const text = '新发展工会会员2.36万人,全区累计有工会会员17.34万人。合计2.5万人。';
    expect(sentenceTexts(text)).toEqual(['新发展工会会员2.36万人,全区累计有工会会员17.34万人。', '合计2.5万人。']);
  });

  it('ends an ASCII sentence at a period before a space, not inside a name', () => {
    expect(sentenceTexts('Family Day. It was v1.2 fun.')).toEqual(['Family Day.', 'It was v1.2 fun.']);
  });

  it('keeps a Latin name with initials or St. whole inside Chinese text (a quote never ends at "W.")', () => {
    const text = '其次，机长Reginald W. Stewart在收到警告4秒种后才决定放弃起飞程序。两旁也摆著圣若望．玛达（St. John of Matha）的雕像。';
    expect(sentenceTexts(text)).toEqual([
      '其次，机长Reginald W. Stewart在收到警告4秒种后才决定放弃起飞程序。',
      '两旁也摆著圣若望．玛达（St. John of Matha）的雕像。',
    ]);
    expect(sentenceTexts('由S.G. Hulme设计。')).toEqual(['由S.G. Hulme设计。']);
    // A word with a vowel ends an English sentence as before.
    expect(sentenceTexts('Family Day. It was fun.')).toEqual(['Family Day.', 'It was fun.']);
  });

  it('never ends a sentence inside a book title that closes in the same paragraph', () => {
    expect(sentenceTexts('2008年3月播放的《CDTV×Sacas！》节目中第一次于公开场合演唱。她又唱了《你好？再见。》！')).toEqual([
      '2008年3月播放的《CDTV×Sacas！》节目中第一次于公开场合演唱。',
      '她又唱了《你好？再见。》！',
    ]);
    // An unclosed 《 closes nothing: the sentences end as usual.
    expect(sentenceTexts('书名号《没有闭合。下一句！')).toEqual(['书名号《没有闭合。', '下一句！']);
    expect(sentenceTexts('标题《一！\n二》。三。')).toEqual(['标题《一！', '二》。', '三。']);
  });

  it('keeps an ASCII closing quote only when it closes a quote of the same sentence', () => {
    expect(sentenceTexts('他说"好。"然后走了。')).toEqual(['他说"好。"', '然后走了。']);
    expect(sentenceTexts('结束了。"新的"开始。')).toEqual(['结束了。', '"新的"开始。']);
  });

  it('ends sentences at newlines and trims whitespace out of spans', () => {
    const text = '  标题行  \n本报讯（记者 马超）近日，活动举行。 后面一句\n\n';
    const spans = splitSentences(text);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['标题行', '本报讯（记者 马超）近日，活动举行。', '后面一句']);
  });

  it('returns ordered, non-overlapping spans that cover every non-space char', () => {
    const text = '会议指出，开展党纪学习教育。\n“2023年，我们召开部署会。”会上，他说！？好；\n  最后……';
    const spans = splitSentences(text);
    let last = 0;
    const covered = new Array<boolean>(text.length).fill(false);
    for (const s of spans) {
      expect(s.start).toBeGreaterThanOrEqual(last);
      expect(s.end).toBeGreaterThan(s.start);
      expect(text.slice(s.start, s.end)).toBe(text.slice(s.start, s.end).trim());
      for (let i = s.start; i < s.end; i++) covered[i] = true;
      last = s.end;
    }
    [...text].forEach((ch, i) => {
      if (ch.trim()) expect(covered[i], `char ${i} ${ch}`).toBe(true);
    });
    expect(sentenceTexts('他说！？好')).toEqual(['他说！？', '好']);
  });

  it('handles empty and whitespace-only text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\t ')).toEqual([]);
  });

  it('is linear: 100k sentences split quickly', () => {
    const text = '职工们纷纷表示，收获很大。'.repeat(100_000);
    const t0 = performance.now();
    const spans = splitSentences(text);
    expect(spans).toHaveLength(100_000);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('sentencePieces (how long messages are cut)', () => {
  it('cuts after Chinese and Latin sentence ends, keeping closing quotes with their sentence; ； does not end one', () => {
    expect(sentencePieces('他说：“好。”然后走了！真的？是的；结束…… Yes. No')).toEqual(['他说：“好。”', '然后走了！', '真的？', '是的；结束……', ' Yes.', ' No']);
  });

  it('keeps every character, whitespace and newlines included', () => {
    for (const s of ['一。二！三？\n四；5.6 end.', '  前导空格。\n\n第二段！  ', '', '   ', '没有句末', 'He said "ok." Then left.']) {
      expect(sentencePieces(s).join('')).toBe(s);
    }
  });

  it('cuts where splitSentences ends a sentence: not inside 2.36万, an ASCII quote closes only what it opened', () => {
    expect(sentencePieces('新发展会员2.36万人。目前17.34万人。')).toEqual(['新发展会员2.36万人。', '目前17.34万人。']);
    expect(sentencePieces('He said "ok!" Then left.')).toEqual(['He said "ok!"', ' Then left.']);
    expect(sentencePieces('好。"下一句')).toEqual(['好。', '"下一句']);
  });
});
