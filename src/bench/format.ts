/** The human-readable report of `npm run bench` (without --json). */
import type { BenchResult } from './run.js';

type Obj = Record<string, unknown>;

function fmt(v: unknown): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '—';
    if (Math.abs(v) >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
    if (Math.abs(v) >= 1e4) return `${(v / 1e3).toFixed(1)} k`;
    return String(v);
  }
  return v === undefined || v === null ? '—' : String(v);
}

function table(rows: Array<[string, unknown, string?]>): string {
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v, note]) => `  ${k.padEnd(w)}  ${fmt(v)}${note ? `  ${note}` : ''}`).join('\n');
}

export function formatReport(r: BenchResult): string {
  const m = r.machine;
  const h = r.hnsw as Obj;
  const kw = r.ask.keyword;
  const hy = r.ask.hybrid;
  const idx = r.index as Obj;
  const build = (idx.build ?? {}) as Obj;
  const one = (idx.reindex_one_page ?? {}) as Obj;
  const sweep = (h.ef_sweep ?? []) as Obj[];
  const parts: string[] = [];
  parts.push(`baowen bench · ${r.chunks} chunks · dim ${r.hnsw.dim} · ${m.cpu} (${m.cores} cores) · node ${m.node} · ${r.wall_s} s`);
  const loads = Object.entries((m.load_avg_by_phase ?? {}) as Record<string, number[]>).map(([k, v]) => `${k} ${v.join('→')}`);
  if (loads.length) parts.push(`load average (1 min) per phase: ${loads.join(', ')}  (timings are best of 2 passes per query)`);
  parts.push(
    table([
      ['corpus', `${r.corpus.pages} pages, ${r.corpus.articles} articles, ${fmt(r.corpus.chars)} chars, ${r.corpus.questions} questions (${r.corpus.dev_questions} dev)`],
      ['parse + chunk', r.parse.chars_per_s, 'chars/s'],
      ['keyword build', r.keyword.build_ms, `ms (${fmt(r.keyword.build_per_s)} chunks/s; tokenizer alone ${fmt(r.keyword.tokenize_ms)} ms)`],
      ['keyword query p50 / p95', `${r.keyword.p50_ms} / ${r.keyword.p95_ms}`, 'ms (top 50)'],
      ['HNSW build', r.hnsw.build_per_s, `vectors/s wall, ${fmt(h.build_per_cpu_s)}/s per CPU-second (M ${fmt(h.M)}, efC ${fmt(h.ef_construction)})`],
      ['HNSW query p50 / p95', `${r.hnsw.p50_ms} / ${r.hnsw.p95_ms}`, `ms at ef ${fmt(h.ef)}`],
      ['HNSW recall@10', r.hnsw.recall_at_10, `(near-doc ${fmt(h.recall_near)}, random ${fmt(h.recall_random)})`],
      ['HNSW recall@10, the bot\'s graph', fmt(r.hnsw.bot_graph.recall_at_10), `at ef ${fmt(r.hnsw.bot_graph.ef)} (${fmt(r.hnsw.bot_graph.queries)} question vectors vs an exact scan; search p95 ${fmt((r.hnsw.bot_graph.search as Obj | undefined)?.p95_ms)} ms)`],
      ['brute force p50', r.hnsw.brute_p50_ms, `ms → speed-up ${r.hnsw.speedup}×`],
      ['ask p50 / p95 keyword', `${fmt(kw.p50_ms)} / ${fmt(kw.p95_ms)}`, `ms (answered ${fmt(kw.answered)})`],
      ['ask p50 / p95 hybrid', `${fmt(hy.p50_ms)} / ${fmt(hy.p95_ms)}`, `ms, question vectors precomputed (answered ${fmt(hy.answered)})`],
      ['ask_embedded p50 / p95', `${r.ask_embedded.p50_ms} / ${r.ask_embedded.p95_ms}`, `ms, ${String(r.ask_embedded.model ?? 'a model')} embeds the question`],
      ['index build (first run)', build.seconds, `s (${fmt(build.embedded)} embedded)`],
      ['re-index unchanged', r.reindex.seconds, `s, ${r.reindex.embedded} embedded`],
      ['re-index, one page edited', one.seconds, `s, ${fmt(one.embedded)} embedded`],
      ['index load (bot)', r.load_ms, 'ms'],
      ['bot memory after load', botMemory(r.settings.serve_memory_mb, 'after_load'), 'MB'],
      ['bot memory after the questions', botMemory(r.settings.serve_memory_mb, 'after_asks'), 'MB'],
      ['index on disk', r.index_mb, 'MB'],
      ['peak RSS (indexer, bot)', r.rss_peak_mb, `MB; by phase ${Object.entries(r.rss_by_phase_mb).map(([k, v]) => `${k} ${v}`).join(', ')}`],
    ]),
  );
  const mo = r.model;
  if (mo) {
    const fwd = (mo.forward ?? {}) as Obj;
    const q = (mo.query ?? {}) as Obj;
    const sent = (idx.sentences ?? {}) as Obj;
    parts.push(`model: ${String(mo.model_id)} shape ${mo.shape} (${fmt(mo.parameters)} parameters, ${mo.dtype}, threads ${fmt(mo.threads)}, batch ${fmt(mo.batch)})`);
    parts.push(
      table([
        ['model load', mo.load_ms, 'ms'],
        ['raw forward', mo.forward_chunks_per_s, `chunks/s (${fmt(fwd.tokens_per_s)} tokens/s, mean ${fmt(fwd.mean_tokens)} tokens per chunk)`],
        ['indexer embedding', mo.index_chunks_per_s, `chunks/s (${Math.round(Number(mo.index_vs_forward) * 100)} % of raw forward); with sentence vectors ${fmt(mo.index_chunks_per_s_with_sentences)} chunks/s`],
        ['sentence vectors', sent.count, `sentences (${fmt(sent.per_chunk)} per chunk): ${fmt(sent.embed_s)} s of embedding (${Math.round(Number(sent.share_of_embed_time) * 100)} %), ${fmt(sent.mb)} MB (${Math.round(Number(sent.share_of_index) * 100)} % of the index)`],
        ['question embedding p50 / p95', `${fmt(q.p50_ms)} / ${fmt(q.p95_ms)}`, 'ms'],
        ['hybrid ask p50 / p95', `${fmt(r.ask_embedded.p50_ms)} / ${fmt(r.ask_embedded.p95_ms)}`, `ms end to end, question embedded (${fmt(r.ask_embedded.passages_embedded_while_answering)} passages embedded while answering)`],
      ]),
    );
  }
  if (sweep.length) {
    parts.push('ef sweep:');
    parts.push(sweep.map((s) => `  ef ${String(s.ef).padStart(4)}  recall ${fmt(s.recall_at_10)}  p50 ${fmt(s.p50_ms)} ms  p95 ${fmt(s.p95_ms)} ms  speed-up ${fmt(s.speedup)}×`).join('\n'));
  }
  parts.push('targets:');
  parts.push(r.targets.map((t) => `  ${t.ok ? 'PASS' : 'FAIL'}  ${t.name.padEnd(32)} ${t.value.padEnd(22)} (${t.target})`).join('\n'));
  return `${parts.join('\n')}\n`;
}

/** "RSS r (heap h, outside the heap e)" of the serve phase's memory record, or "-". */
function botMemory(memory: unknown, when: 'after_load' | 'after_asks'): string {
  const m = (memory as Record<string, Record<string, number> | undefined> | null)?.[when];
  return m ? `RSS ${fmt(m.rss_mb)} (JS heap ${fmt(m.heap_mb)}, buffers ${fmt(m.external_mb)})` : '-';
}
