/**
 * The shape of the code, checked: folders of src/ import each other without cycles (the data's
 * journey runs one way), and src/ never imports test code. Reads the TypeScript import graph from
 * the sources' own import/export-from lines (type-only imports count too).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
});
