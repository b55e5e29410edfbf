/** Developer aid: refusal signals per eval question (best score, known-word coverage, evidence), for calibration. */
import { analyzeQuestion } from '../../src/answer/question.js';
import { scoreCandidates } from '../../src/answer/compose.js';
import { coverage, evidence, weighTerms } from '../../src/answer/score.js';
import { retrieve } from '../../src/search/retrieve.js';
import { termStatsOf } from '../../src/search/stats.js';
import { loadConfig } from '../../src/config.js';
import { EvalQuestion, matchesExpected, readJsonl } from '../../src/eval/dataset.js';
import { loadIndex } from '../../src/store/load.js';
import { normalizeForMatch } from '../../src/text/normalize.js';

const index = loadIndex(loadConfig().indexDir);
for (const file of process.argv.slice(2)) {
  for (const item of readJsonl(file, EvalQuestion)) {
    if (item.type === 'english') continue;
    const q = analyzeQuestion(item.question);
    const w = weighTerms(q, termStatsOf(index));
    const known = { units: w.units.filter((u) => u.df > 0), total: 0 };
    known.total = known.units.reduce((a, u) => a + u.weight, 0);
    const r = await retrieve(index, null, item.question, { k: 12, perArticle: 3 });
    const ranked = scoreCandidates(index, q, w, r.passages);
    const b = ranked[0];
    if (!b) {
      console.log(`${item.id.padEnd(7)} ${item.type.padEnd(10)} -`);
      continue;
    }
    const a = b.article;
    const ctx = { sentence: normalizeForMatch(a.text.slice(b.start, b.end)), headline: normalizeForMatch(`${a.kicker ?? ''} ${a.title}`), passage: '' };
    const ok = item.expected.some((e) => matchesExpected(a, e));
    const second = ranked.find((s) => s.article.id !== a.id);
    console.log(
      `${item.id.padEnd(7)} ${item.type.padEnd(10)} ${ok ? '✓' : item.type === 'ood' ? 'o' : '✗'} best=${b.score.toFixed(2)} known=${coverage(known, ctx).toFixed(2)} ev=${evidence(w, ctx).toFixed(1)} kt=${known.total.toFixed(1)} margin=${(b.score - (second?.score ?? 0)).toFixed(2)}`,
    );
  }
}
