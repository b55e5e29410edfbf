/**
 * Runs the REAL transformers.js feature-extraction pipeline + onnxruntime-node on a tiny BERT-shaped
 * model the fixture writes, offline. Failure paths use a closed port and a silent server, never the Hub.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTinyModel, type TinyModel } from '../bench/model/tiny.js';
import { loadConfig, type Config } from '../config.js';
import { chooseDtype, inspectLocal, loadEmbedder } from './load.js';
import type { Embedder } from './types.js';

interface LogLine {
  level: number;
  msg: string;
}

function captureLog() {
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  return { log, lines, warnings: () => lines.filter((l) => l.level === 40) };
}

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (a: Float32Array): number => Math.sqrt(dot(a, a));

let tmp: string;
let tiny: TinyModel;
let config: (env: Record<string, string>) => Config;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'baowen-embed-'));
  tiny = await createTinyModel(path.join(tmp, 'models'), { dim: 48, seed: 7 });
  // Same tables under the e5 id (so the e5 preset and its prefixes apply), shipped as the q8 file.
  await createTinyModel(path.join(tmp, 'models'), { dim: 48, seed: 7, modelId: 'Xenova/multilingual-e5-small', dtypes: ['q8'] });
  config = (env) => loadConfig({ EMBED_LOCAL_DIR: 'models', EMBED_ALLOW_REMOTE: '0', ...env }, tmp);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('loadEmbedder with a local model (real pipeline)', () => {
  let emb: Embedder;
  let e5: Embedder;
  const logs = captureLog();

  beforeAll(async () => {
    const load = await loadEmbedder(config({ EMBED_MODEL: tiny.modelId, EMBED_BATCH: '3' }), logs.log);
    if (!load.ok) throw new Error(load.reason);
    emb = load.embedder;
    const loadE5 = await loadEmbedder(config({}), captureLog().log);
    if (!loadE5.ok) throw new Error(loadE5.reason);
    e5 = loadE5.embedder;
  });

  it('reports id, dimension and the tokenizer limit', () => {
    expect(emb.modelId).toBe('test/tiny-bert');
    expect(emb.dim).toBe(48);
    expect(emb.maxTokens).toBe(512);
    expect(e5.modelId).toBe('Xenova/multilingual-e5-small');
  });

  it('falls back to the fp32 file when EMBED_DTYPE=q8 weights are missing, and says so', () => {
    expect(logs.lines.some((l) => /EMBED_DTYPE=q8 .* using fp32/u.test(l.msg))).toBe(true);
    expect(logs.warnings()).toEqual([]);
  });

  it('returns L2-normalized, deterministic vectors of the right size', async () => {
    const texts = ['德胜街道总工会组织开展植树活动。', 'Trade union news 2024'];
    const a = await emb.embedPassages(texts);
    const b = await emb.embedPassages(texts);
    expect(a).toHaveLength(2);
    for (const v of a) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(48);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    expect(b).toEqual(a);
  });

  it('gives a fresh model with the same seed the same vectors, and another seed different ones', async () => {
    const again = await createTinyModel(path.join(tmp, 'again'), { dim: 48, seed: 7, modelId: 'test/tiny-again' });
    const other = await createTinyModel(path.join(tmp, 'other'), { dim: 48, seed: 8, modelId: 'test/tiny-other' });
    const load = (m: TinyModel) =>
      loadEmbedder(loadConfig({ EMBED_LOCAL_DIR: m.modelDir, EMBED_MODEL: m.modelId, EMBED_ALLOW_REMOTE: '0' }, tmp), captureLog().log);
    const [la, lo] = [await load(again), await load(other)];
    if (!la.ok || !lo.ok) throw new Error('fixture reload failed');
    const text = '通州区去年新发展了多少工会会员？';
    const [ref] = await emb.embedPassages([text]);
    expect((await la.embedder.embedPassages([text]))[0]).toEqual(ref);
    expect(dot((await lo.embedder.embedPassages([text]))[0]!, ref!)).toBeLessThan(0.99);
  });

  it('ranks a passage sharing the question’s words above an unrelated one', async () => {
    const q = await emb.embedQuery('德胜街道的植树活动有多少职工参加？');
    const [related, unrelated] = await emb.embedPassages([
      '德胜街道总工会组织开展植树活动，辖区45家企业80名职工参加活动。',
      '顺义区总工会持续推动“双沟通”提质增效。',
    ]);
    expect(dot(q, related!)).toBeGreaterThan(dot(q, unrelated!) + 0.1);
  });

  it('gives the same vectors batched (EMBED_BATCH=3, mixed lengths) as one at a time, in input order', async () => {
    const texts = ['工会', '德胜街道总工会组织开展植树活动', '', 'a', '顺义区总工会召开2024年基层组织建设工作部署会', '职工', 'hello world'];
    const progress: Array<[number, number]> = [];
    const batched = await emb.embedPassages(texts, (done, total) => progress.push([done, total]));
    expect(progress).toEqual([
      [3, 7],
      [6, 7],
      [7, 7],
    ]);
    for (const [i, t] of texts.entries()) {
      const [single] = await emb.embedPassages([t]);
      for (let d = 0; d < emb.dim; d++) expect(batched[i]![d]).toBeCloseTo(single![d]!, 5);
    }
    expect(await emb.embedPassages([])).toEqual([]);
  });

  it('counts tokens with special tokens and the passage prefix, growing with the text', () => {
    expect(emb.countTokens('')).toBe(2); // [CLS] [SEP]
    expect(emb.countTokens('植树')).toBe(4); // one token per hanzi
    expect(emb.countTokens('德胜街道植树')).toBe(8);
    expect(e5.countTokens('植树')).toBe(6); // + "passage" ":"
    let prev = 0;
    for (let n = 1; n < 200; n *= 3) {
      const c = emb.countTokens('工会'.repeat(n));
      expect(c).toBeGreaterThan(prev);
      prev = c;
    }
  });

  it('applies the e5 query prefix: embedQuery(x) is the passage vector of "query: x", not of x', async () => {
    const [plainPassage] = await e5.embedPassages(['植树']);
    const q = await e5.embedQuery('植树');
    expect(q).not.toEqual(plainPassage);
    // test/tiny-bert has the same tables and no prefixes, so it can embed the prefixed strings verbatim.
    const [withQueryPrefix, withPassagePrefix] = await emb.embedPassages(['query: 植树', 'passage: 植树']);
    for (let d = 0; d < 48; d++) {
      expect(q[d]).toBeCloseTo(withQueryPrefix![d]!, 5);
      expect(plainPassage![d]).toBeCloseTo(withPassagePrefix![d]!, 5);
    }
  });

  it('truncates at maxTokens instead of failing on long texts', async () => {
    const load = await loadEmbedder(config({ EMBED_MODEL: tiny.modelId }), captureLog().log, { overrides: { maxTokens: 16 } });
    if (!load.ok) throw new Error(load.reason);
    const short = load.embedder;
    expect(short.maxTokens).toBe(16);
    const head = '德胜街道总工会组织开展植树活动辖区企业职工参加';
    const long = head + '顺义区总工会持续推动双沟通提质增效'.repeat(40);
    expect(short.countTokens(long)).toBeGreaterThan(500);
    const [a, b] = await short.embedPassages([long, head + '完全不同的结尾文字']);
    // Only the first 16 tokens count, and those are the same.
    for (let d = 0; d < 48; d++) expect(a![d]).toBeCloseTo(b![d]!, 5);
  });
});

describe('loadEmbedder failures (never throws, never hangs)', () => {
  it('model missing and remote disabled: ok=false fast, with a reason that says how to fix it, warned once', async () => {
    const logs = captureLog();
    const t0 = Date.now();
    const load = await loadEmbedder(config({ EMBED_MODEL: 'Xenova/bge-small-zh-v1.5' }), logs.log);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(load.ok).toBe(false);
    if (load.ok) return;
    expect(load.modelId).toBe('Xenova/bge-small-zh-v1.5');
    expect(load.reason).toContain(path.join('models', 'Xenova', 'bge-small-zh-v1.5'));
    expect(load.reason).toContain('EMBED_ALLOW_REMOTE');
    expect(load.reason).toContain('HF_ENDPOINT');
    expect(load.reason).not.toContain('\n');
    expect(logs.warnings()).toHaveLength(1);
  });

  it('lists what is missing when a local model is incomplete', async () => {
    const m = await createTinyModel(path.join(tmp, 'partial'), { modelId: 'test/partial' });
    await rm(path.join(m.modelDir, m.modelId, 'tokenizer.json'));
    const load = await loadEmbedder(
      loadConfig({ EMBED_LOCAL_DIR: m.modelDir, EMBED_MODEL: m.modelId, EMBED_ALLOW_REMOTE: '0' }, tmp),
      captureLog().log,
    );
    expect(load.ok).toBe(false);
    if (!load.ok) expect(load.reason).toMatch(/missing tokenizer\.json/u);
  });

  it('unreachable mirror (closed port) with remote allowed: ok=false within seconds', async () => {
    const port = await closedPort();
    const logs = captureLog();
    const t0 = Date.now();
    const load = await loadEmbedder(
      config({ EMBED_ALLOW_REMOTE: '1', HF_ENDPOINT: `http://127.0.0.1:${port}`, EMBED_MODEL: 'Xenova/not-downloaded' }),
      logs.log,
    );
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(load.ok).toBe(false);
    if (load.ok) return;
    expect(load.reason).toContain(`127.0.0.1:${port}`);
    expect(load.reason).toMatch(/ECONNREFUSED|cannot reach/u);
    expect(load.reason).toContain('models');
    expect(logs.warnings()).toHaveLength(1);
  });

  it('a mirror that accepts connections but never answers is cut off by the timeout', async () => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => sockets.add(s)); // never writes a byte
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    try {
      const t0 = Date.now();
      const load = await loadEmbedder(
        config({ EMBED_ALLOW_REMOTE: '1', HF_ENDPOINT: `http://127.0.0.1:${port}`, EMBED_MODEL: 'Xenova/silent-host' }),
        captureLog().log,
        { timeoutMs: 1500 },
      );
      expect(Date.now() - t0).toBeLessThan(4000);
      expect(load.ok).toBe(false);
      if (!load.ok) expect(load.reason).toMatch(/timed out after 2 s/u);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });

  it('localOnly never goes to the network, whatever EMBED_ALLOW_REMOTE says', async () => {
    const port = await closedPort();
    const load = await loadEmbedder(
      config({ EMBED_ALLOW_REMOTE: '1', HF_ENDPOINT: `http://127.0.0.1:${port}`, EMBED_MODEL: 'Xenova/bge-m3' }),
      captureLog().log,
      { localOnly: true },
    );
    expect(load.ok).toBe(false);
    if (!load.ok) {
      expect(load.reason).toContain('downloads are off');
      expect(load.reason).not.toContain(String(port));
    }
  });

  it('a corrupt ONNX file is reported, not thrown', async () => {
    const m = await createTinyModel(path.join(tmp, 'corrupt'), { modelId: 'test/corrupt' });
    await writeFile(path.join(m.modelDir, m.modelId, 'onnx', 'model.onnx'), 'this is not a protobuf');
    const logs = captureLog();
    const load = await loadEmbedder(
      loadConfig({ EMBED_LOCAL_DIR: m.modelDir, EMBED_MODEL: m.modelId, EMBED_ALLOW_REMOTE: '0' }, tmp),
      logs.log,
    );
    expect(load.ok).toBe(false);
    if (!load.ok) expect(load.reason).toMatch(/ONNX|corrupt/u);
    expect(logs.warnings()).toHaveLength(1);
  });
});

describe('loadEmbedder from a mirror (HF_ENDPOINT)', () => {
  let server: http.Server;
  let host: string;
  const requests: string[] = [];
  /** While set, requests wait here instead of being answered. */
  let stalled: Array<() => void> | undefined;

  beforeAll(async () => {
    const served = await createTinyModel(path.join(tmp, 'served'), { dim: 48, seed: 7, modelId: 'mirror/tiny-bert', dtypes: ['q8'] });
    // Serves <model>/resolve/<revision>/<file>, the Hub's layout, from the fixture folder.
    server = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      if (stalled) {
        stalled.push(() => serve(req, res));
        return;
      }
      serve(req, res);
    });
    const serve = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      const m = /^\/(.+?)\/resolve\/main\/(.+)$/u.exec(req.url ?? '');
      const file = m ? path.join(served.modelDir, decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)) : '';
      if (!file || !existsSync(file)) {
        res.writeHead(404).end('Entry not found');
        return;
      }
      void readFile(file).then((body) => {
        res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
        res.end(req.method === 'HEAD' ? undefined : body);
      });
    };
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    host = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('downloads <host>/<model>/resolve/main/<file> into the model dir, then loads offline from there', async () => {
    const dir = path.join(tmp, 'downloaded');
    const online = await loadEmbedder(
      loadConfig({ EMBED_LOCAL_DIR: dir, EMBED_MODEL: 'mirror/tiny-bert', EMBED_ALLOW_REMOTE: '1', HF_ENDPOINT: `${host}/` }, tmp),
      captureLog().log,
    );
    if (!online.ok) throw new Error(online.reason);
    expect(requests).toContain('GET /mirror/tiny-bert/resolve/main/onnx/model_quantized.onnx');
    expect(requests).toContain('GET /mirror/tiny-bert/resolve/main/tokenizer.json');
    expect(existsSync(path.join(dir, 'mirror', 'tiny-bert', 'onnx', 'model_quantized.onnx'))).toBe(true);

    // With the files in place, a start with downloads allowed does not touch the network either.
    requests.length = 0;
    const again = await loadEmbedder(
      loadConfig({ EMBED_LOCAL_DIR: dir, EMBED_MODEL: 'mirror/tiny-bert', EMBED_ALLOW_REMOTE: '1', HF_ENDPOINT: host }, tmp),
      captureLog().log,
    );
    expect(again.ok).toBe(true);
    expect(requests).toEqual([]);

    const offline = await loadEmbedder(
      loadConfig({ EMBED_LOCAL_DIR: dir, EMBED_MODEL: 'mirror/tiny-bert', EMBED_ALLOW_REMOTE: '0' }, tmp),
      captureLog().log,
    );
    if (!offline.ok) throw new Error(offline.reason);
    expect(requests).toEqual([]);
    const text = '德胜街道植树';
    expect(await offline.embedder.embedQuery(text)).toEqual(await online.embedder.embedQuery(text));
  });

  it('a timed-out download really stops: nothing more is fetched once the mirror wakes up', async () => {
    stalled = [];
    requests.length = 0;
    const dir = path.join(tmp, 'stalled');
    const load = await loadEmbedder(
      loadConfig({ EMBED_LOCAL_DIR: dir, EMBED_MODEL: 'mirror/tiny-bert', EMBED_ALLOW_REMOTE: '1', HF_ENDPOINT: host }, tmp),
      captureLog().log,
      { timeoutMs: 500 },
    );
    expect(load.ok).toBe(false);
    const seen = requests.length;
    expect(seen).toBeGreaterThan(0);
    const held = stalled;
    stalled = undefined;
    for (const release of held) release();
    await new Promise((r) => setTimeout(r, 300));
    expect(requests).toHaveLength(seen);
    expect(existsSync(path.join(dir, 'mirror', 'tiny-bert', 'onnx', 'model_quantized.onnx'))).toBe(false);
  });

  it('a mirror without the model: ok=false naming the host and EMBED_MODEL', async () => {
    const logs = captureLog();
    const load = await loadEmbedder(
      config({ EMBED_MODEL: 'nobody/no-such-model', EMBED_ALLOW_REMOTE: '1', HF_ENDPOINT: host }),
      logs.log,
    );
    expect(load.ok).toBe(false);
    if (!load.ok) {
      expect(load.reason).toContain(host);
      expect(load.reason).toContain('EMBED_MODEL');
    }
    expect(logs.warnings()).toHaveLength(1);
  });
});

describe('weight file choice', () => {
  it('keeps the requested dtype when present or when nothing is local (it will be downloaded)', () => {
    expect(chooseDtype('q8', ['q8', 'fp32'])).toEqual({ use: 'q8' });
    expect(chooseDtype('fp32', [])).toEqual({ use: 'fp32' });
  });

  it('falls back to the best present file, and auto picks the best present or q8', () => {
    expect(chooseDtype('q8', ['fp32'])).toEqual({ use: 'fp32', fallbackFrom: 'q8' });
    expect(chooseDtype('fp16', ['q8', 'fp32'])).toEqual({ use: 'q8', fallbackFrom: 'fp16' });
    expect(chooseDtype('auto', ['fp32'])).toEqual({ use: 'fp32' });
    expect(chooseDtype('auto', [])).toEqual({ use: 'q8' });
  });

  it('inspects the model dir for weight files and required files', () => {
    const models = path.join(tmp, 'models');
    expect(inspectLocal([models], 'test/tiny-bert')).toEqual({ dtypes: ['fp32'], missing: [] });
    expect(inspectLocal([models], 'Xenova/multilingual-e5-small')).toEqual({ dtypes: ['q8'], missing: [] });
    expect(inspectLocal([models], 'nobody/nothing').missing).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json']);
  });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}
