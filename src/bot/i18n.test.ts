import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOCALES_DIR, langFromCode, t } from './i18n.js';

const keysOf = (file: string) =>
  new Set(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => /^([a-z][a-z0-9_-]*)\s*=/u.exec(l)?.[1])
      .filter((k): k is string => Boolean(k)),
  );

describe('bot translations', () => {
  const zh = keysOf(path.join(LOCALES_DIR, 'zh', 'bot.ftl'));
  const en = keysOf(path.join(LOCALES_DIR, 'en', 'bot.ftl'));

  it('zh and en define the same keys', () => {
    expect([...zh].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !zh.has(k))).toEqual([]);
  });

  it('every key the bot code uses exists', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('subscribe'));
    const used = new Set<string>();
    for (const f of files) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of src.matchAll(/\b(?:t|tr|ctx\.t)\(\s*'([a-z][a-z0-9-]*)'/gu)) if (m[1] !== 'en' && m[1] !== 'zh') used.add(m[1]!);
      for (const m of src.matchAll(/'((?:feedback|inline|ask|cmd)-[a-z-]+)'/gu)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((k) => !zh.has(k))).toEqual([]);
  });

  it('loads every .ftl under locales/<lang>/ and translates without isolation marks', () => {
    expect(t('en', 'welcome-more', { bot: 'x_bot' })).toContain('@x_bot question');
    expect(t('zh', 'btn-source', { n: 2 })).toBe('原文 2');
    expect(t('en', 'btn-source', { n: 2 })).toBe('Source 2');
  });

  it('maps Telegram language codes', () => {
    expect(langFromCode('en-GB', 'zh')).toBe('en');
    expect(langFromCode('zh-hans', 'en')).toBe('zh');
    expect(langFromCode('de', 'zh')).toBe('zh');
    expect(langFromCode(undefined, 'en')).toBe('en');
  });
});
