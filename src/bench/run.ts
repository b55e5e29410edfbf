/**
 * `npm run bench`: builds the synthetic corpus, runs each phase in its own process, and gathers
 * one result object (see {@link BenchResult}) with the product targets checked.
 *
 * @example
 * const result = await runBench({ chunks: 20000 });
 * result.hnsw.recall_at_10; // → 0.97
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../config.js';
import { generateCorpus, readSeedMaterial } from './corpus.js';
import type { PhaseInput, PhaseName } from './phases.js';
import { buildQuestions, readDevQuestions } from './questions.js';
import { round } from './stats.js';

export interface BenchOptions {
  /** Chunks to aim for. Default 20000. */
  chunks?: number;
  /** Vector dimension. Default 384 (multilingual-e5-small). */
  dim?: number;
  seed?: number;
  /** Questions asked (dev set first, then synthesized). Default 300. */
  questions?: number;
  /** Near-document HNSW queries (plus half as many fresh ones). Default 200. */
  vectorQueries?: number;
  efSweep?: number[];
  /** Seed pages the corpus is made from. Default `<repo>/seeds`. */
  seedsDir?: string;
  /** Dev questions (JSONL). Default `BENCH_DEV_QUESTIONS` or `/work/shared/eval/dev.jsonl` when present. */
  devQuestions?: string;
  /** Keep the temp folder (pages, index) and print where it is. */
  keep?: boolean;
  /** Extra node flags for the phase processes (e.g. `--cpu-prof`); default `BENCH_NODE_ARGS`. */
  nodeArgs?: string[];
  /** Run only these phases (default all). */
  only?: PhaseName[];
  onProgress?: (line: string) => void;
}

export interface TargetCheck {
  name: string;
  target: string;
  value: string;
  ok: boolean;
}

/** The `--json` object. Keys required by the brief first; extras after. */
export interface BenchResult {
  chunks: number;
  parse: { chars_per_s: number } & Record<string, unknown>;
  keyword: { build_ms: number; p50_ms: number; p95_ms: number } & Record<string, unknown>;
  hnsw: { dim: number; build_per_s: number; p50_ms: number; p95_ms: number; recall_at_10: number; brute_p50_ms: number; speedup: number } & Record<string, unknown>;
  ask: { p50_ms: number; p95_ms: number; keyword: Record<string, unknown>; hybrid: Record<string, unknown> };
  ask_embedded: { p50_ms: number; p95_ms: number } & Record<string, unknown>;
  reindex: { seconds: number; embedded: number } & Record<string, unknown>;
  rss_peak_mb: number;
  index_mb: number;
  targets: TargetCheck[];
  corpus: Record<string, unknown>;
  index: Record<string, unknown>;
  load_ms: number;
  rss_by_phase_mb: Record<string, number>;
  machine: Record<string, unknown>;
  settings: Record<string, unknown>;
  wall_s: number;
}

const DEFAULT_EF_SWEEP = [32, 64, 128, 256];
const REPO_SEEDS = fileURLToPath(new URL('../../seeds/', import.meta.url));
const SHARED_DEV = '/work/shared/eval/dev.jsonl';
const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

/** Runs every phase and returns the result. Throws when a phase fails. */
export async function runBench(opts: BenchOptions = {}): Promise<BenchResult> {
  const started = performance.now();
  const say = opts.onProgress ?? ((l: string) => process.stderr.write(`${l}\n`));
  const chunks = opts.chunks ?? 20000;
  const dim = opts.dim ?? 384;
  const seed = opts.seed ?? 1;
  const only = new Set<PhaseName>(opts.only ?? ['ingest', 'hnsw', 'index', 'serve']);
  if (only.has('serve')) only.add('index');

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'baowen-bench-'));
  try {
    const pagesDir = path.join(root, 'pages');
    say(`[bench] generating ≈${chunks} chunks of pages in ${pagesDir}`);
    const t0 = performance.now();
    const material = readSeedMaterial(opts.seedsDir ?? REPO_SEEDS);
    const corpus = generateCorpus(material, pagesDir, { chunks, seed });
    const genS = (performance.now() - t0) / 1000;
    const devFile = opts.devQuestions ?? process.env.BENCH_DEV_QUESTIONS ?? SHARED_DEV;
    const dev = readDevQuestions(devFile);
    const questions = buildQuestions(dev, corpus.sample, opts.questions ?? 300, seed);
    const questionsFile = path.join(root, 'questions.json');
    fs.writeFileSync(questionsFile, JSON.stringify(questions));

    const env: Record<string, string> = {};
    for (const k of ['HNSW_M', 'HNSW_EF_CONSTRUCTION', 'HNSW_EF'] as const) {
      const v = process.env[k];
      if (v) env[k] = v;
    }
    const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
    const input: PhaseInput = {
      pagesDir,
      indexDir: path.join(root, 'index'),
      tmpDir: root,
      questionsFile,
      chunks,
      dim,
      seed,
      vectorQueries: opts.vectorQueries ?? 200,
      efSweep: opts.efSweep ?? DEFAULT_EF_SWEEP,
      env,
    };
    const nodeArgs = opts.nodeArgs ?? (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/u).filter(Boolean);
    const results: Partial<Record<PhaseName, Record<string, unknown>>> = {};
    for (const phase of ['ingest', 'hnsw', 'index', 'serve'] as const) {
      if (!only.has(phase)) continue;
      const p0 = performance.now();
      results[phase] = await runPhase(phase, input, nodeArgs, say);
      say(`[bench] ${phase} done in ${((performance.now() - p0) / 1000).toFixed(1)} s`);
    }
    if (opts.keep) say(`[bench] kept ${root}`);

    const result = assemble({ chunks, corpus: { ...corpus, sample: undefined, generate_s: round(genS, 2), questions: questions.length, dev_questions: dev.length }, results, config, dim, seed });
    result.wall_s = round((performance.now() - started) / 1000, 1);
    return result;
  } finally {
    if (!opts.keep) fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Runs one phase in a fresh Node process (tsx loader) and parses its JSON line; its stderr lines go to `say`. */
function runPhase(phase: PhaseName, input: PhaseInput, nodeArgs: string[], say: (line: string) => void): Promise<Record<string, unknown>> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const args = ['--expose-gc', ...nodeArgs, '--import', tsx, CHILD, phase, JSON.stringify(input)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      err += d;
      const lines = err.split('\n');
      err = lines.pop() ?? '';
      for (const l of lines) if (l) say(l);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (err) say(err);
      if (code !== 0) return reject(new Error(`bench phase ${phase} exited with code ${code}`));
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as Record<string, unknown>);
      } catch {
        reject(new Error(`bench phase ${phase} printed no result: ${out.slice(0, 200)}`));
      }
    });
  });
}

type Obj = Record<string, unknown>;
const num = (o: unknown, k: string): number => {
  const v = (o as Obj | undefined)?.[k];
  return typeof v === 'number' ? v : Number.NaN;
};
const obj = (o: unknown, k: string): Obj => ((o as Obj | undefined)?.[k] as Obj | undefined) ?? {};

function assemble(a: {
  chunks: number;
  corpus: Obj;
  results: Partial<Record<PhaseName, Obj>>;
  config: ReturnType<typeof loadConfig>;
  dim: number;
  seed: number;
}): BenchResult {
  const { ingest, hnsw, index, serve } = a.results;
  const askKw = obj(serve, 'ask');
  const askHy = obj(serve, 'ask_hybrid');
  const askEmb = obj(serve, 'ask_embedded');
  const reindex = obj(index, 'reindex');
  const rssByPhase: Record<string, number> = {};
  for (const [k, v] of Object.entries(a.results)) rssByPhase[k] = num(v, 'rss_mb');
  // The product's processes: the indexer (`npm run index`) and the bot (index loaded, questions answered).
  const productRss = [rssByPhase.index, rssByPhase.serve].filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  const rssPeak = productRss.length ? Math.max(...productRss) : Number.NaN;
  const chunksIndexed = num(index, 'chunks');

  const result: BenchResult = {
    chunks: Number.isFinite(chunksIndexed) ? chunksIndexed : num(ingest, 'chunks'),
    parse: { chars_per_s: num(obj(ingest, 'parse'), 'chars_per_s'), ...obj(ingest, 'parse') },
    keyword: {
      build_ms: num(obj(ingest, 'keyword'), 'build_ms'),
      p50_ms: num(obj(ingest, 'keyword'), 'p50_ms'),
      p95_ms: num(obj(ingest, 'keyword'), 'p95_ms'),
      ...obj(ingest, 'keyword'),
    },
    hnsw: {
      dim: num(hnsw, 'dim'),
      build_per_s: num(hnsw, 'build_per_s'),
      p50_ms: num(hnsw, 'p50_ms'),
      p95_ms: num(hnsw, 'p95_ms'),
      recall_at_10: num(hnsw, 'recall_at_10'),
      brute_p50_ms: num(hnsw, 'brute_p50_ms'),
      speedup: num(hnsw, 'speedup'),
      ...(hnsw ?? {}),
    },
    ask: { p50_ms: num(askHy, 'p50_ms'), p95_ms: num(askHy, 'p95_ms'), keyword: askKw, hybrid: askHy },
    ask_embedded: { p50_ms: num(askEmb, 'p50_ms'), p95_ms: num(askEmb, 'p95_ms'), ...askEmb },
    reindex: { seconds: num(reindex, 'seconds'), embedded: num(reindex, 'embedded'), ...reindex },
    rss_peak_mb: rssPeak,
    index_mb: num(index, 'index_mb'),
    targets: [],
    corpus: { ...a.corpus, pages_parsed: num(ingest, 'pages'), articles_parsed: num(ingest, 'articles'), chunks_parsed: num(ingest, 'chunks'), parse_warnings: num(ingest, 'parse_warnings') },
    index: index ? { ...index, reindex: undefined } : {},
    load_ms: num(serve, 'load_ms'),
    rss_by_phase_mb: rssByPhase,
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      mem_gb: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      // Other processes on the machine inflate timings; [start, end] 1-minute load average per phase.
      load_avg_by_phase: Object.fromEntries(Object.entries(a.results).map(([k, v]) => [k, [num(v, 'load_avg_start'), num(v, 'load_avg_1m')]])),
    },
    settings: { dim: a.dim, seed: a.seed, M: a.config.HNSW_M, ef_construction: a.config.HNSW_EF_CONSTRUCTION, ef: a.config.HNSW_EF, serve_rss_after_load_mb: num(serve, 'rss_after_load_mb') },
    wall_s: 0,
  };
  result.targets = checkTargets(result);
  return result;
}

/** The product's targets (stated for 100k chunks on a 2-core machine). */
export function checkTargets(r: BenchResult): TargetCheck[] {
  const out: TargetCheck[] = [];
  const add = (name: string, target: string, value: string, ok: boolean): void => {
    out.push({ name, target, value, ok });
  };
  const kwP95 = num(r.ask.keyword, 'p95_ms');
  const hyP95 = num(r.ask.hybrid, 'p95_ms');
  if (Number.isFinite(kwP95) || Number.isFinite(hyP95)) {
    add('ask p95 (keyword)', '≤ 20 ms', `${kwP95} ms`, kwP95 <= 20);
    add('ask p95 (hybrid, no embedding)', '≤ 20 ms', `${hyP95} ms`, hyP95 <= 20);
  }
  if (Number.isFinite(r.hnsw.recall_at_10)) {
    add('HNSW recall@10', '≥ 0.95', String(r.hnsw.recall_at_10), r.hnsw.recall_at_10 >= 0.95);
    add('HNSW speed-up vs brute force', '≥ 20×', `${r.hnsw.speedup}×`, r.hnsw.speedup >= 20);
    add('HNSW build', '≥ 1000 vectors/s', `${r.hnsw.build_per_s}/s`, r.hnsw.build_per_s >= 1000);
  }
  if (Number.isFinite(r.reindex.seconds)) {
    add('re-index unchanged', '≤ 10 s, 0 embedded', `${r.reindex.seconds} s, ${r.reindex.embedded} embedded`, r.reindex.seconds <= 10 && r.reindex.embedded === 0);
  }
  if (Number.isFinite(r.rss_peak_mb)) add('peak RSS (indexer, bot)', '≤ 1536 MB', `${r.rss_peak_mb} MB`, r.rss_peak_mb <= 1536);
  return out;
}
