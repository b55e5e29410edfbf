/**
 * The keyword index's query: the best `k` documents by BM25+ with MiniSearch's OR scoring (the sum of
 * the query terms' weights, times the number of query terms matched), without scoring every posting.
 *
 * MaxScore (Turtle & Flood, 1995) over document-ordered postings: each term has an upper bound on
 * what it can add to a document (its largest weight per field, summed). Sorted by that bound, the
 * cheapest terms whose bounds together — times how many of them there are — cannot reach the k-th
 * best score so far are *non-essential*: a document in none of the other terms cannot enter the top
 * k, so only the essential terms' postings are walked, and the non-essential ones are looked up for
 * those documents (galloping search), giving up on a document as soon as even the bounds of the terms
 * not looked up yet cannot lift it to the k-th score. A question's commonest words (`工会`, `职工`: in
 * most chunks of an archive) are then looked up for some documents instead of walked in full.
 *
 * Exact, not approximate: a document is given up only when its bound (inflated by
 * {@link BOUND_SLACK} against rounding in the bound's own sums) is below the k-th score, and every
 * other document is scored in full, its terms' weights added in the order exhaustive scoring adds
 * them (query term, then field), so scores agree to the bit; ties go to the lower short id.
 * keyword-query.test.ts checks it against exhaustive scoring ({@link exhaustiveTopDocs}).
 *
 * Walked in id order, the k-th score starts at −∞ and rises only as good documents turn up, so early
 * on every term is essential; {@link seedHeap} first scores the few documents of the rarest terms in
 * full (1M chunks: −25 % to −30 % per query, bench). Block maxima per 64 postings were tried for the
 * bounds too and were slower (finding a candidate's block costs about what looking it up costs).
 *
 * The walk goes a window of {@link WINDOW} ids at a time, as Lucene's MaxScore bulk scorer does: the
 * essential units' postings in the window are summed term at a time into per-document slots, then each
 * non-essential unit is looked up for all the window's documents still in the running before the next
 * unit is (tight loops over one posting list instead of a pass over every cursor per document: at 1M
 * chunks, p95 −18 % for the same lookups). Ending the walk early buys little here: started with the
 * final k-th score, the same queries are only 10 % faster, because the OR score multiplies the sum by
 * the terms matched and so keeps bounds loose.
 */

/** MiniSearch's BM25+ parameters (its defaults, which we use). */
export const BM25 = { k: 1.2, b: 0.7, d: 0.5 } as const;

/** One posting's BM25+ contribution: term frequency `tf` in a field of length `len`. */
export function bm25Weight(tf: number, len: number, avgLen: number, idf: number, boost: number): number {
  const { k, b, d } = BM25;
  return boost * idf * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * len) / avgLen)));
}

/** Part of a term's postings in one field: short ids ascending, with their term frequencies. */
export interface PostingRun {
  ids: Int32Array;
  tfs: Uint16Array;
}

/** A term's postings in one field: runs in id order (the base file's, then documents added since) and what weighs them. */
export interface FieldPostings {
  runs: PostingRun[];
  /** Field length per short id. */
  lens: Int32Array;
  avgLen: number;
  idf: number;
  boost: number;
  /** The largest weight of any of its postings. */
  max: number;
}

/** A query term: its fields with postings, in field order (the order their weights are added in). */
export interface TermPostings {
  fields: FieldPostings[];
}

/** Relative slack on upper bounds, far above the rounding of sums of a few dozen positive numbers. */
export const BOUND_SLACK = 1e-9;

/**
 * A field's postings ready for queries, with the largest weight among them (one pass; removed
 * documents' postings included: it stays an upper bound).
 */
export function weighField(runs: readonly PostingRun[], w: { lens: Int32Array; avgLen: number; idf: number; boost: number }): FieldPostings {
  let max = 0;
  for (const { ids, tfs } of runs) {
    for (let i = 0; i < ids.length; i++) {
      const wt = bm25Weight(tfs[i] as number, w.lens[ids[i] as number] as number, w.avgLen, w.idf, w.boost);
      if (wt > max) max = wt;
    }
  }
  return { runs: runs.filter((r) => r.ids.length > 0), lens: w.lens, avgLen: w.avgLen, idf: w.idf, boost: w.boost, max };
}

/** "a ranks below b": lower score, or the same score and a later document. */
function below(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

/** A size-k min-heap of (document, score) by {@link below}. */
class TopHeap {
  readonly ids: Int32Array;
  readonly scores: Float64Array;
  size = 0;

  constructor(readonly k: number) {
    this.ids = new Int32Array(k);
    this.scores = new Float64Array(k);
  }

  /** The k-th best score so far (−∞ until the heap is full). */
  get threshold(): number {
    return this.size < this.k ? -Infinity : (this.scores[0] as number);
  }

  /** Offers a document; true when it entered. */
  offer(id: number, score: number): boolean {
    const { ids, scores } = this;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!below(score, id, scores[p] as number, ids[p] as number)) break;
        ids[i] = ids[p] as number;
        scores[i] = scores[p] as number;
        i = p;
      }
      ids[i] = id;
      scores[i] = score;
      return true;
    }
    if (!below(scores[0] as number, ids[0] as number, score, id)) return false;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      let m = l;
      if (r < this.size && below(scores[r] as number, ids[r] as number, scores[l] as number, ids[l] as number)) m = r;
      if (!below(scores[m] as number, ids[m] as number, score, id)) break;
      ids[i] = ids[m] as number;
      scores[i] = scores[m] as number;
      i = m;
    }
    ids[i] = id;
    scores[i] = score;
    return true;
  }

  /** [document, score] pairs, best first. */
  sorted(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.size; i++) out.push([this.ids[i] as number, this.scores[i] as number]);
    return out.sort((a, b) => (below(a[1], a[0], b[1], b[0]) ? 1 : below(b[1], b[0], a[1], a[0]) ? -1 : 0));
  }
}

/** One run of one term's field, walked or looked up in id order. */
interface Cursor {
  ids: Int32Array;
  tfs: Uint16Array;
  pos: number;
  f: FieldPostings;
  /** Slot of (term, field) in the per-document contributions: 2·term + field position; also the unit's. */
  slot: number;
  term: number;
}

/** The first position in `ids[lo..hi)` holding an id ≥ `x` (binary search); `hi` when none does. */
function firstAtLeast(ids: Int32Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ids[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Moves `c` to its first posting with id ≥ `x` (galloping, then binary search); its position. */
function advance(c: Cursor, x: number): number {
  const { ids } = c;
  const n = ids.length;
  let lo = c.pos;
  if (lo >= n || (ids[lo] as number) >= x) return lo;
  let step = 1;
  let hi = lo + 1;
  while (hi < n && (ids[hi] as number) < x) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  if (hi > n) hi = n;
  // ids[lo] < x; the answer is in (lo, hi].
  c.pos = firstAtLeast(ids, lo + 1, hi, x);
  return c.pos;
}

const NONE = 0x7fffffff;

/**
 * What one query keeps while it walks. MaxScore's units are the (term, field) pairs, not the terms: a
 * common word's text postings have a small bound even when its headline postings (short field, boosted)
 * have a large one, so the text ones can be looked up while only the headline ones are walked. A unit
 * adds its field's weight to the sum and at most one to the terms matched.
 */
class Walk {
  /** Units: 2·term + field position (slots). */
  readonly units: number;
  /** Slots: 2 per term. */
  readonly slots: number;
  /** Units by upper bound, smallest first. */
  readonly order: Int32Array;
  /** prefix[j]: the bounds of order[0..j) summed. */
  readonly prefix: Float64Array;
  /** terms[j]: distinct terms among order[0..j) (what they can add to the terms matched). */
  readonly terms: Int32Array;
  readonly cursorsOf: Cursor[][];
  readonly heap: TopHeap;
  /** order[0 .. nonEssential) are looked up, the rest walked. */
  nonEssential = 0;
  essential: Cursor[];

  constructor(termList: readonly TermPostings[], k: number) {
    const slots = (this.slots = 2 * termList.length);
    const ub = new Float64Array(slots);
    const present: number[] = [];
    this.cursorsOf = Array.from({ length: slots }, () => []);
    termList.forEach((t, ti) =>
      t.fields.forEach((f, fi) => {
        const slot = 2 * ti + fi;
        ub[slot] = f.max;
        present.push(slot);
        for (const r of f.runs) (this.cursorsOf[slot] as Cursor[]).push({ ids: r.ids, tfs: r.tfs, pos: 0, f, slot, term: ti });
      }),
    );
    const u = (this.units = present.length);
    this.order = Int32Array.from(present.sort((a, b) => (ub[a] as number) - (ub[b] as number) || a - b));
    this.prefix = new Float64Array(u + 1);
    this.terms = new Int32Array(u + 1);
    const seen = new Set<number>();
    for (let j = 0; j < u; j++) {
      const slot = this.order[j] as number;
      this.prefix[j + 1] = (this.prefix[j] as number) + (ub[slot] as number);
      seen.add(slot >> 1);
      this.terms[j + 1] = seen.size;
    }
    this.essential = this.cursorsOf.flat();
    this.heap = new TopHeap(k);
  }

  /** After the k-th score rose: the units that can no longer carry a document alone become looked-up ones. */
  updateSplit(): void {
    const theta = this.heap.threshold;
    let p = this.nonEssential;
    while (p < this.units && (this.prefix[p + 1] as number) * (this.terms[p + 1] as number) * (1 + BOUND_SLACK) < theta) p++;
    if (p === this.nonEssential) return;
    this.nonEssential = p;
    const walked = new Set(this.order.slice(p));
    this.essential = this.essential.filter((c) => walked.has(c.slot));
  }
}

/**
 * The exact score's sum: the weights of `slots` slots whose `seen` cell holds `stamp`, added slot by
 * slot — term by term, field by field, as exhaustive scoring adds them, so scores agree to the bit.
 * Slot `s` is at `first + s·stride` (one document's row of a per-slot table, or its column of a window's).
 */
function slotOrderSum(contrib: Float64Array, seen: Int32Array, stamp: number, slots: number, first = 0, stride = 1): number {
  let sum = 0;
  for (let slot = 0, cell = first; slot < slots; slot++, cell += stride) if (seen[cell] === stamp) sum += contrib[cell] as number;
  return sum;
}

/** Documents scored in full before the walk, to start it with a k-th score near the final one. */
export const SEED_DOCS = 256;

/**
 * Scores in full the documents of the most valuable units whose postings are few (the rare words a
 * top document is likely to hold), at most {@link SEED_DOCS}, and offers them: the walk then starts
 * with a k-th score close to its final one, so the common words are looked up, not walked, from the
 * first document on instead of only once the walk has found good documents by itself. Exact: each
 * is summed by {@link slotOrderSum}, as the walk sums. The documents offered (the walk skips them).
 */
function seedHeap(walk: Walk, docIds: Int32Array | null): Set<number> {
  const seeded = new Set<number>();
  const { order, cursorsOf, slots } = walk;
  // Per slot the weight the current document got, valid where stamp[slot] is its visit.
  const contrib = new Float64Array(slots);
  const stamp = new Int32Array(slots);
  const termStamp = new Int32Array(slots / 2);
  let visit = 0;
  for (let j = walk.units - 1; j >= 0 && seeded.size < SEED_DOCS; j--) {
    const cursors = cursorsOf[order[j] as number] as Cursor[];
    const n = cursors.reduce((a, c) => a + c.ids.length, 0);
    if (seeded.size + n > SEED_DOCS) continue;
    for (const c of cursors) {
      for (let i = 0; i < c.ids.length; i++) {
        const x = c.ids[i] as number;
        if (seeded.has(x) || (docIds !== null && (docIds[x] as number) < 0)) continue;
        seeded.add(x);
        visit++;
        let matched = 0;
        for (let slot = 0; slot < cursorsOf.length; slot++) {
          for (const d of cursorsOf[slot] as Cursor[]) {
            const at = firstAtLeast(d.ids, 0, d.ids.length, x);
            if (at >= d.ids.length || d.ids[at] !== x) continue;
            contrib[slot] = bm25Weight(d.tfs[at] as number, d.f.lens[x] as number, d.f.avgLen, d.f.idf, d.f.boost);
            stamp[slot] = visit;
            if (termStamp[d.term] !== visit) {
              termStamp[d.term] = visit;
              matched++;
            }
          }
        }
        walk.heap.offer(x, slotOrderSum(contrib, stamp, visit, slots) * matched);
      }
    }
  }
  if (walk.heap.size === walk.heap.k) walk.updateSplit();
  return seeded;
}

/** Documents per window: the essential units are scored a window at a time, term at a time. */
export const WINDOW = 1024;

/**
 * Per-window scratch: per document of the window its running sum and terms matched, and per (unit,
 * document) and (term, document) the weight it got, valid where the stamp is the window's.
 */
class WindowScratch {
  readonly acc = new Float64Array(WINDOW);
  readonly matched = new Int32Array(WINDOW);
  readonly seen = new Int32Array(WINDOW);
  readonly docs = new Int32Array(WINDOW);
  readonly contrib: Float64Array;
  readonly slotSeen: Int32Array;
  readonly termSeen: Int32Array;
  stamp = 0;

  constructor(slots: number, terms: number) {
    this.contrib = new Float64Array(slots * WINDOW);
    this.slotSeen = new Int32Array(slots * WINDOW);
    this.termSeen = new Int32Array(terms * WINDOW);
  }

  /** A stamp no cell holds yet (the cells are cleared when the counter would run out). */
  nextStamp(): void {
    if (this.stamp >= 0x3fffffff) {
      this.stamp = 0;
      this.seen.fill(0);
      this.slotSeen.fill(0);
      this.termSeen.fill(0);
    }
    this.stamp++;
  }
}

/** Terms of the scratch kept between queries (1.5 MB); a longer query gets its own, dropped after it. */
export const KEPT_SCRATCH_TERMS = 64;
let keptScratch: WindowScratch | null = null;

/** Scratch for a query of `terms` terms: the one kept between queries (the search is synchronous) when it fits. */
function scratchFor(terms: number): WindowScratch {
  if (terms > KEPT_SCRATCH_TERMS) return new WindowScratch(2 * terms, terms);
  keptScratch ??= new WindowScratch(2 * KEPT_SCRATCH_TERMS, KEPT_SCRATCH_TERMS);
  return keptScratch;
}

/** Adds unit `c`'s weight for window document `d` (x = its short id) to the window's sums. */
function addHit(w: WindowScratch, c: Cursor, at: number, d: number, x: number): void {
  const wt = bm25Weight(c.tfs[at] as number, c.f.lens[x] as number, c.f.avgLen, c.f.idf, c.f.boost);
  w.acc[d] = (w.acc[d] as number) + wt;
  const cell = c.slot * WINDOW + d;
  w.contrib[cell] = wt;
  w.slotSeen[cell] = w.stamp;
  const tcell = c.term * WINDOW + d;
  if (w.termSeen[tcell] !== w.stamp) {
    w.termSeen[tcell] = w.stamp;
    w.matched[d] = (w.matched[d] as number) + 1;
  }
}

/** The essential units' postings in [from, from + WINDOW), term at a time; the window's documents, ascending. */
function scoreEssential(walk: Walk, w: WindowScratch, from: number): number {
  const end = from + WINDOW;
  let n = 0;
  for (const c of walk.essential) {
    const { ids } = c;
    let pos = c.pos;
    for (; pos < ids.length && (ids[pos] as number) < end; pos++) {
      const x = ids[pos] as number;
      const d = x - from;
      if (w.seen[d] !== w.stamp) {
        w.seen[d] = w.stamp;
        w.acc[d] = 0;
        w.matched[d] = 0;
        w.docs[n++] = d;
      }
      addHit(w, c, pos, d, x);
    }
    c.pos = pos;
  }
  if (n > WINDOW >> 3) {
    // Dense: the window in order is cheaper than a sort.
    n = 0;
    for (let d = 0; d < WINDOW; d++) if (w.seen[d] === w.stamp) w.docs[n++] = d;
  } else w.docs.subarray(0, n).sort();
  return n;
}

/**
 * Keeps those of the window's first `n` documents whose bound — their sum so far plus the bounds of
 * units order[0..j), times their terms matched plus those units' terms — can reach the k-th score.
 */
function stillPossible(walk: Walk, w: WindowScratch, n: number, j: number, theta: number): number {
  const p = walk.prefix[j] as number;
  const t = walk.terms[j] as number;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const d = w.docs[i] as number;
    if (((w.acc[d] as number) + p) * ((w.matched[d] as number) + t) * (1 + BOUND_SLACK) >= theta) w.docs[kept++] = d;
  }
  return kept;
}

/**
 * One window: the essential units scored, then the non-essential ones looked up unit by unit (most
 * valuable first) for the documents that can still reach the k-th score, and the survivors offered
 * with their exact sums (unit by unit in slot order, as exhaustive scoring adds them).
 */
function scoreWindow(walk: Walk, w: WindowScratch, from: number, docIds: Int32Array | null, seeded: Set<number>): void {
  let n = scoreEssential(walk, w, from);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const d = w.docs[i] as number;
    if ((docIds === null || (docIds[from + d] as number) >= 0) && (seeded.size === 0 || !seeded.has(from + d))) w.docs[kept++] = d;
  }
  const theta = walk.heap.threshold;
  n = stillPossible(walk, w, kept, walk.nonEssential, theta);
  for (let j = walk.nonEssential - 1; j >= 0 && n > 0; j--) {
    for (const c of walk.cursorsOf[walk.order[j] as number] as Cursor[]) {
      for (let i = 0; i < n; i++) {
        const d = w.docs[i] as number;
        const at = advance(c, from + d);
        if (at >= c.ids.length) break;
        if (c.ids[at] === from + d) addHit(w, c, at, d, from + d);
      }
    }
    n = stillPossible(walk, w, n, j, theta);
  }
  let entered = false;
  for (let i = 0; i < n; i++) {
    const d = w.docs[i] as number;
    const matched = w.matched[d] as number;
    if (matched * (w.acc[d] as number) * (1 + BOUND_SLACK) < walk.heap.threshold) continue;
    const exact = slotOrderSum(w.contrib, w.slotSeen, w.stamp, walk.slots, d, WINDOW);
    if (walk.heap.offer(from + d, exact * matched)) entered = true;
  }
  if (entered && walk.heap.size === walk.heap.k) walk.updateSplit();
}

/** The smallest next id among the essential units' cursors (NONE when all are done). */
function nextEssential(walk: Walk): number {
  let x = NONE;
  for (const c of walk.essential) if (c.pos < c.ids.length && (c.ids[c.pos] as number) < x) x = c.ids[c.pos] as number;
  return x;
}

/**
 * The best `k` documents for `terms` (in query order), as [short id, score] pairs, best first; the
 * same as {@link exhaustiveTopDocs}. `docIds` (when some documents are removed): short id → chunk id,
 * negative for a removed document, which is never returned.
 */
export function topDocs(terms: readonly TermPostings[], k: number, docIds: Int32Array | null = null): [number, number][] {
  if (k <= 0 || terms.length === 0) return [];
  const walk = new Walk(terms, k);
  const seeded = seedHeap(walk, docIds);
  const scratch = scratchFor(terms.length);
  for (let from = nextEssential(walk); from !== NONE; from = nextEssential(walk)) {
    scratch.nextStamp();
    scoreWindow(walk, scratch, from, docIds, seeded);
  }
  return walk.heap.sorted();
}

/**
 * Every posting scored: the reference {@link topDocs} is tested against (and the bench's "before").
 * Same result, same order.
 */
export function exhaustiveTopDocs(terms: readonly TermPostings[], k: number, docIds: Int32Array | null = null): [number, number][] {
  if (k <= 0) return [];
  let size = 0;
  for (const t of terms) for (const f of t.fields) for (const r of f.runs) if (r.ids.length > 0) size = Math.max(size, (r.ids[r.ids.length - 1] as number) + 1);
  const scores = new Float64Array(size);
  const matched = new Uint16Array(size);
  const last = new Int32Array(size);
  const touched: number[] = [];
  terms.forEach((t, ti) => {
    for (const f of t.fields) {
      for (const { ids, tfs } of f.runs) {
        for (let i = 0; i < ids.length; i++) {
          const id = ids[i] as number;
          if (docIds !== null && (docIds[id] as number) < 0) continue;
          scores[id] = (scores[id] as number) + bm25Weight(tfs[i] as number, f.lens[id] as number, f.avgLen, f.idf, f.boost);
          if (last[id] !== ti + 1) {
            if (last[id] === 0) touched.push(id);
            last[id] = ti + 1;
            matched[id] = (matched[id] as number) + 1;
          }
        }
      }
    }
  });
  const heap = new TopHeap(k);
  for (const id of touched) heap.offer(id, (scores[id] as number) * (matched[id] as number));
  return heap.sorted();
}
