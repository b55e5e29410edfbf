/** Developer aid: `npx tsx scripts/dev/explain.ts "问题"` prints the top scored sentences and why. */
import { analyzeQuestion } from '../../src/answer/question.js';
import { scoreCandidates } from '../../src/answer/compose.js';
import { weighTerms } from '../../src/answer/score.js';
import { retrieve } from '../../src/search/retrieve.js';
import { termStatsOf } from '../../src/search/stats.js';
import { loadConfig } from '../../src/config.js';
import { loadIndex } from '../../src/store/load.js';

const config = loadConfig();
const index = loadIndex(config.indexDir);
for (const question of process.argv.slice(2)) {
  const q = analyzeQuestion(question);
  const stats = termStatsOf(index);
  const w = weighTerms(q, stats);
  console.log(`\n## ${question}  N=${q.wantsNumber} M=${q.wantsMany} P=${q.wantsPlace} W=${q.wantsPerson} places=${q.places}`);
  console.log('   terms:', w.units.map((u) => `${u.text}:${u.weight.toFixed(1)}/${u.df}`).join(' '));
  const r = await retrieve(index, null, question, { k: 12, perArticle: 3 });
  console.log('   passages:', r.passages.map((p) => `${p.article.title.slice(0, 8)}#${p.chunk.ordinal}`).join(' '));
  const ranked = scoreCandidates(index, q, w, r.passages);
  for (const s of ranked.slice(0, 8)) {
    console.log(`   ${s.score.toFixed(3)} ${s.lead ? 'L' : ' '} ${s.article.title.slice(0, 10)} | ${s.article.text.slice(s.start, s.end).slice(0, 70)}`);
  }
}
