/**
 * Bylines and photo credits → names by role, and one display format for all of them.
 *
 * Display format (Article.byline), roles always in this order, names separated by spaces:
 * - report:                         `记者 周美玉 通讯员 于佳慧`
 * - report with a photo credit:     `记者 王路曼 摄影 曹立栋` (from `本报记者 曹立栋 摄` after the report)
 * - photo item (`… 摄影报道` credit): `记者 宗晓畅 通讯员 高岩 摄影报道`
 * `本报记者`/`实习记者`/`特约记者`/`摄影记者` are shown as `记者`; `本报通讯员`/`特约通讯员` as `通讯员`.
 */
import { BYLINE_RE } from './blocks.js';

export interface Credits {
  reporters: string[];
  correspondents: string[];
}

const ROLE_RE = /^(本报)?(特约|实习|摄影)?(记者|通讯员)|^实习生/u;

function roleOf(token: string): { role: keyof Credits; rest: string } | null {
  const m = ROLE_RE.exec(token);
  if (!m) return null;
  const role: keyof Credits = m[3] === '记者' ? 'reporters' : 'correspondents';
  return { role, rest: token.slice(m[0].length) };
}

/**
 * Reads `记者 A B 通讯员 C` style text (roles followed by their names).
 * Names before any role word are taken as reporters and reported in `unassigned`.
 */
export function parseCredits(text: string): Credits & { unassigned: string[] } {
  const out = { reporters: [] as string[], correspondents: [] as string[], unassigned: [] as string[] };
  let role: keyof Credits | null = null;
  for (const raw of text.split(/[\s/、，,]+/u)) {
    if (!raw) continue;
    const r = roleOf(raw);
    let name = raw;
    if (r) {
      role = r.role;
      name = r.rest;
      if (!name) continue;
    }
    if (role) out[role].push(name);
    else {
      out.reporters.push(name);
      out.unassigned.push(name);
    }
  }
  return out;
}

/** Names in a `本报讯（记者 X 通讯员 Y）` paragraph opening, or null when it has none. */
export function parseByline(paragraph: string): (Credits & { unassigned: string[] }) | null {
  const m = BYLINE_RE.exec(paragraph);
  if (!m) return null;
  return parseCredits(m[1] as string);
}

/** Names in a photo credit line (`本报记者 宗晓畅 通讯员 高岩 摄影报道`, `通讯员 刘晓翠 摄`). */
export function parseCreditLine(line: string): Credits & { unassigned: string[] } {
  return parseCredits(line.replace(/\s*(摄影报道|摄影|摄)$/u, ''));
}

function rolePart(label: string, names: readonly string[]): string {
  return names.length ? `${label} ${names.join(' ')}` : '';
}

/**
 * Builds the display byline; null when no names at all. See the module comment for the format.
 * `photoSuffix` is the credit word of a photo item (`摄影报道`, or `摄` for a bare photo credit).
 */
export function formatByline(
  c: { reporters: readonly string[]; correspondents: readonly string[]; photographers: readonly string[] },
  kind: 'report' | 'photo',
  photoSuffix = '摄影报道',
): string | null {
  const parts =
    kind === 'photo'
      ? [rolePart('记者', c.reporters), rolePart('通讯员', c.correspondents)]
      : [rolePart('记者', c.reporters), rolePart('通讯员', c.correspondents), rolePart('摄影', c.photographers)];
  const text = parts.filter(Boolean).join(' ');
  if (!text) return null;
  return kind === 'photo' ? `${text} ${photoSuffix}` : text;
}

/** Length of the byline prefix (`本报讯（记者 X）` and the spaces after it) opening `text`, 0 when none: it is not part of what a sentence says. */
export function bylinePrefixLength(text: string): number {
  const m = BYLINE_RE.exec(text);
  if (!m) return 0;
  let n = m[0].length;
  while (n < text.length && /\s/u.test(text[n] as string)) n++;
  return n;
}
