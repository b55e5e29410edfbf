import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PageParseError, parsePage } from './parse.js';
import { splitFrontMatter } from './front-matter.js';

const SEED = fileURLToPath(new URL('../../seeds/001_171a289de099f801.txt', import.meta.url));
const page = readFileSync(SEED, 'utf8');
const FM = '---\npaper: 劳动午报\ndate: 2024-03-12\npage: 3\nurl: https://example.org/2024-03/12/03.html\n---\n';

describe('page front matter', () => {
  it('gives every article of the page its paper, date, page and url; the text is unchanged', () => {
    const plain = parsePage('p.txt', page).articles;
    const withMeta = parsePage('p.txt', FM + page).articles;
    expect(withMeta.map((a) => a.text)).toEqual(plain.map((a) => a.text));
    expect(withMeta.map((a) => a.id)).toEqual(plain.map((a) => a.id));
    for (const a of withMeta) expect(a.meta).toEqual({ paper: '劳动午报', date: '2024-03-12', page: '3', url: 'https://example.org/2024-03/12/03.html' });
    expect(plain.every((a) => a.meta === undefined)).toBe(true);
    // The hash covers the metadata (so a metadata change re-indexes those articles), and only when present.
    expect(withMeta[0]!.hash).not.toBe(plain[0]!.hash);
    expect(parsePage('p.txt', FM.replace('page: 3', 'page: 4') + page).articles[0]!.hash).not.toBe(withMeta[0]!.hash);
  });

  it('all keys are optional; an empty front matter is no metadata', () => {
    expect(parsePage('p.txt', `---\npaper: 劳动午报\n---\n${page}`).articles[0]!.meta).toEqual({ paper: '劳动午报' });
    expect(parsePage('p.txt', `---\n---\n${page}`).articles[0]!.meta).toBeUndefined();
    expect(splitFrontMatter('---\npage: A3\n---\nx').meta).toEqual({ page: 'A3' });
  });

  it('a url: line under a headline is that article’s own link; the others keep the page url', () => {
    const head = '通州区总工会推动构建纵横交织、覆盖广泛的组织体系';
    const own = page.replace(new RegExp(`(${head}[^\n]*\n)`, 'u'), '$1url: https://example.org/tongzhou.html\n');
    expect(own).not.toBe(page);
    const arts = parsePage('p.txt', FM + own).articles;
    const tz = arts.find((a) => a.title.includes(head))!;
    expect(tz.meta?.url).toBe('https://example.org/tongzhou.html');
    expect(tz.text).not.toContain('example.org');
    expect(arts.filter((a) => a !== tz).every((a) => a.meta?.url === 'https://example.org/2024-03/12/03.html')).toBe(true);
    // Without front matter the article still gets its link (and nothing else).
    expect(parsePage('p.txt', own).articles.find((a) => a.title.includes(head))!.meta).toEqual({ url: 'https://example.org/tongzhou.html' });
    expect(parsePage('p.txt', own.replace('url: ', '链接：')).articles.find((a) => a.title.includes(head))!.meta?.url).toBe('https://example.org/tongzhou.html');
  });

  it('bad front matter stops the page with a message naming the problem', () => {
    const bad = (fm: string) => {
      try {
        parsePage('p.txt', fm + page);
      } catch (e) {
        expect(e).toBeInstanceOf(PageParseError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(bad('---\ndate: 2024-02-30\n---\n')).toMatch(/p\.txt: front matter: date "2024-02-30" is not a calendar date/u);
    expect(bad('---\ndate: 12.3.2024\n---\n')).toMatch(/date "12\.3\.2024" must be a date YYYY-MM-DD/u);
    expect(bad('---\nurl: javascript:alert(1)\n---\n')).toMatch(/url .* must be an http\(s\) URL/u);
    expect(bad('---\nauthor: x\n---\n')).toMatch(/unknown key "author" \(known: paper, date, page, url\)/u);
    expect(bad('---\npaper: [a\n---\n')).toMatch(/not valid YAML/u);
    expect(bad('---\npaper: 劳动午报\n')).toMatch(/without a closing ---/u);
    expect(bad('---\n- a\n- b\n---\n')).toMatch(/expected key: value lines/u);
    expect(bad('url: ftp://x/y\n')).toMatch(/line 1: url "ftp:\/\/x\/y" must be an http\(s\) URL/u);
  });
});
