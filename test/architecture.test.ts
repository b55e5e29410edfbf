/**
 * The shape of the code, checked: folders of src/ import each other without cycles (the data's
 * journey runs one way), src/ never imports test code, and no function in src/ is longer than a
 * reader can hold in mind (80 lines). Reads the TypeScript import graph from the sources' own
 * import/export-from lines (type-only imports count too); function lengths from the TypeScript
 * compiler's syntax tree.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SRC = path.join(ROOT, 'src');
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/gu;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** The folder of src/ a file belongs to (top-level files are their own "folder"). */
const folderOf = (file: string): string => {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length > 1 ? (rel[0] as string) : `(${rel[0]})`;
};

function graph(): { edges: Map<string, Set<string>>; outside: string[] } {
  const edges = new Map<string, Set<string>>();
  const outside: string[] = [];
  for (const file of sources(SRC)) {
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = path.resolve(path.dirname(file), m[1] as string);
      if (!target.startsWith(SRC + path.sep)) {
        outside.push(`${path.relative(ROOT, file)} → ${path.relative(ROOT, target)}`);
        continue;
      }
      const a = folderOf(file);
      const b = folderOf(target);
      if (a !== b) (edges.get(a) ?? edges.set(a, new Set()).get(a))!.add(b);
    }
  }
  return { edges, outside };
}

/** Every cycle's folders (strongly connected components of more than one folder), Tarjan's algorithm. */
function cycles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** Relative module references: import/export-from, `import('…')`, and `new URL('./…', import.meta.url)` (workers, child processes). */
const REFERENCE = /(?:\bfrom\s+|\bimport\(\s*|new URL\(\s*)['"](\.{1,2}\/[^'"]+)['"]/gu;

/** The modules of src/ that `npm start` and the scripts (`npm run …`) reach, following every reference. */
function reachable(): Set<string> {
  const scripts = readdirSync(path.join(ROOT, 'scripts'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => path.join(ROOT, 'scripts', f));
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(REFERENCE)) {
      const target = path.resolve(path.dirname(file), m[1] as string).replace(/\.js$/u, '.ts');
      if (existsSync(target) && target.endsWith('.ts')) visit(target);
    }
  };
  [path.join(SRC, 'main.ts'), ...scripts].forEach(visit);
  return seen;
}

/** Longest body, in lines (first to last line of the braces, or of an arrow's expression). */
const MAX_FUNCTION_LINES = 80;

/**
 * Long functions in other lanes' folders, to be split by their owners: `file:function` (file
 * relative to src/). This list may only shrink — an entry whose function is now short (or gone)
 * fails the test, so it stays honest. Print it with `npx vitest run test/architecture.test.ts`.
 */
const LONG_ALLOWED: readonly string[] = [];

/** A function's name as a reader finds it: `name`, `Class.method`, the variable or property it is assigned to. */
function functionName(n: ts.FunctionLikeDeclaration): string {
  const parent = n.parent;
  const owner = parent && ts.isClassLike(parent) && parent.name ? `${parent.name.text}.` : '';
  if (n.name && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name) || ts.isPrivateIdentifier(n.name))) return owner + n.name.text;
  if (ts.isConstructorDeclaration(n)) return `${owner}constructor`;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  return `<anonymous at line ${n.getSourceFile().getLineAndCharacterOfPosition(n.getStart()).line + 1}>`;
}

/** Every function, method, accessor and arrow of a source text with the lines of its body. */
function functionLengths(fileName: string, text: string): { name: string; lines: number }[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const out: { name: string; lines: number }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && 'body' in n && n.body) {
      const body = n.body as ts.Node;
      const first = sf.getLineAndCharacterOfPosition(body.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(body.getEnd()).line;
      out.push({ name: functionName(n as ts.FunctionLikeDeclaration), lines: last - first + 1 });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** `file:function (N lines)` of every function in src/ (tests beside the code excluded) over the limit. */
function longFunctions(): Map<string, number> {
  const long = new Map<string, number>();
  for (const file of sources(SRC)) {
    const rel = path.relative(SRC, file).split(path.sep).join('/');
    for (const f of functionLengths(rel, readFileSync(file, 'utf8'))) {
      if (f.lines > MAX_FUNCTION_LINES) long.set(`${rel}:${f.name}`, Math.max(f.lines, long.get(`${rel}:${f.name}`) ?? 0));
    }
  }
  return long;
}

describe('architecture', () => {
  it('the folders of src/ import each other without cycles', () => {
    const { edges } = graph();
    expect(edges.size).toBeGreaterThan(5);
    expect(cycles(edges)).toEqual([]);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const edges = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]]);
    expect(cycles(edges)).toEqual([['a', 'b', 'c']]);
  });

  it('src/ imports nothing from test/ (or anywhere outside src/ but the locales and weights it reads as files)', () => {
    expect(graph().outside.filter((x) => x.includes(`${path.sep}test${path.sep}`) || x.includes(' → test'))).toEqual([]);
  });

  it(`no function in src/ is longer than ${MAX_FUNCTION_LINES} lines (but the listed ones of other lanes, which must shrink)`, () => {
    const long = longFunctions();
    const fmt = (k: string) => `${k} (${long.get(k) ?? 'now short or gone'}${long.has(k) ? ' lines' : ''})`;
    if (LONG_ALLOWED.length) console.log(`long functions still allowed (to be split):\n  ${LONG_ALLOWED.map(fmt).join('\n  ')}`);
    expect([...long.keys()].filter((k) => !LONG_ALLOWED.includes(k)).map(fmt), 'split these functions').toEqual([]);
    expect(LONG_ALLOWED.filter((k) => !long.has(k)), 'these are short now: take them off LONG_ALLOWED').toEqual([]);
  });

  it('measures function bodies: a long one is found by name, short ones and nested ones each on their own', () => {
    const body = Array.from({ length: 85 }, (_, i) => `  const x${i} = ${i};`).join('\n');
    const text = `export function long(): void {\n${body}\n  const inner = () => 1;\n}\nclass K { m() { return 1; } }\nconst arrow = (a: number) =>\n  a + 1;\n`;
    const got = functionLengths('x.ts', text);
    expect(got.find((f) => f.name === 'long')?.lines).toBe(88);
    expect(got.find((f) => f.name === 'inner')?.lines).toBe(1);
    expect(got.find((f) => f.name === 'K.m')?.lines).toBe(1);
    expect(got.find((f) => f.name === 'arrow')?.lines).toBe(1);
  });

  it('every module in src/ is app code: reached from npm start or a script (test helpers and fixtures live in test/)', () => {
    const reached = reachable();
    expect(reached.size).toBeGreaterThan(50);
    expect(sources(SRC).filter((f) => !reached.has(f)).map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
