/**
 * Ingest: page files → Articles → Chunks.
 *
 * @example
 * import { parseSeedsDir, chunkArticle, estimateTokens } from './ingest/index.js';
 * const pages = await parseSeedsDir(config.seedsDir);
 * const articles = pages.flatMap((p) => p.articles);
 * let id = 0;
 * const chunks = articles.flatMap((a) => {
 *   const cs = chunkArticle(a, { countTokens: estimateTokens, maxTokens: 256, firstId: id });
 *   id += cs.length;
 *   return cs;
 * });
 */
export { PageParseError, parsePage, fileStem, splitHeadline, type ParsePageResult } from './parse.js';
export { repairPage, type BlockRole, type PageBlock, type RepairResult } from './repair.js';
export { splitBlocks, type Block } from './blocks.js';
export { formatByline, parseByline, parseCreditLine } from './byline.js';
export {
  CHUNKER_VERSION,
  DEFAULT_OVERLAP_SENTENCES,
  DEFAULT_TARGET_TOKENS,
  chunkArticle,
  chunkArticles,
  type ChunkOptions,
} from './chunk.js';
export { estimateTokens, SPECIAL_TOKENS } from './tokens.js';
export { listPages, parseSeedsDir, type PageResult } from './seeds.js';
export { splitSentences } from '../text/sentences.js';
