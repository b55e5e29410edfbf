/**
 * The labelled sets the ranker is trained and validated on, each indexed by the normal indexer:
 * the dev-format questions over the seed pages (eval/dev.jsonl, more, extra, written, fresh)
 * and the SQuAD-format external sets (eval/external/), each paragraph an article, a fifth left out.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Embedder } from '../embed/types.js';
import { indexPages } from '../eval/corpus.js';
import { EvalQuestion, EvalTopic, readJsonl } from '../eval/dataset.js';
import { fromEvalQuestion } from '../eval/labeled.js';
import { readSquad } from '../eval/squad.js';
import { listPages } from '../ingest/seeds.js';
import type { Logger } from '../log.js';
import type { TrainingSet } from './train.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEV_FORMAT_FILES = ['eval/dev.jsonl', 'eval/more.jsonl', 'eval/extra.jsonl', 'eval/written.jsonl', 'eval/fresh.jsonl'];
export const TOPIC_FILES = ['eval/topics.jsonl', 'eval/more-topics.jsonl', 'eval/extra-topics.jsonl'];
export const SQUAD_FILES = ['eval/external/cmrc2018_trial.json', 'eval/external/DRCD_dev.json'];
/** The fifth of paragraphs left out of each external corpus, as `npm run eval -- --squad` does. */
export const LEFT_OUT = 0.2;
export const LEFT_OUT_SEED = 1;

export interface LoadedSets {
  sets: TrainingSet[];
  /** Digest topics over the seed pages. */
  topics: EvalTopic[];
  cleanup(): void;
}

export async function trainingSets(log: Logger, opts: { embedder?: Embedder | null; squadLimit?: number } = {}): Promise<LoadedSets> {
  const cleanups: (() => void)[] = [];
  const sets: TrainingSet[] = [];
  const seedsDir = path.join(ROOT, 'seeds');
  const pages = listPages(seedsDir).map((file) => ({ file, content: readFileSync(path.join(seedsDir, file), 'utf8') }));
  const seeds = await indexPages(pages, log, { embedder: opts.embedder ?? null });
  cleanups.push(seeds.cleanup);
  const devQuestions = DEV_FORMAT_FILES.flatMap((f) => readJsonl(path.join(ROOT, f), EvalQuestion))
    .filter((q) => q.type !== 'english')
    .map(fromEvalQuestion);
  sets.push({ name: 'seeds', index: seeds.index, questions: devQuestions });
  for (const f of SQUAD_FILES) {
    const corpus = readSquad(path.join(ROOT, f), { leftOut: LEFT_OUT, seed: LEFT_OUT_SEED, ...(opts.squadLimit ? { limit: opts.squadLimit } : {}) });
    const built = await indexPages(corpus.pages, log, { embedder: opts.embedder ?? null });
    cleanups.push(built.cleanup);
    sets.push({ name: path.basename(f, '.json'), index: built.index, questions: corpus.questions });
  }
  const topics = TOPIC_FILES.flatMap((f) => readJsonl(path.join(ROOT, f), EvalTopic));
  return { sets, topics, cleanup: () => cleanups.forEach((c) => c()) };
}
