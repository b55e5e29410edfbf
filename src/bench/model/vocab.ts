/**
 * What every generated model folder shares: a WordPiece vocabulary that covers the seed pages (one
 * token per CJK character, as BERT-style Chinese tokenizers do), `tokenizer.json`,
 * `tokenizer_config.json`, a BERT `config.json`, and seeded pseudo-random tables.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listPages } from '../../ingest/index.js';
import { mulberry32 } from '../../random.js';

export const DEFAULT_SEEDS_DIR = fileURLToPath(new URL('../../../seeds/', import.meta.url));

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

const ENGLISH_WORDS = `
the of and to in a is that for it as was with be by on not he this are or his from at which but have an
they you were her she there been one all we their has would when if so no will more can what who how why
where about up out into than them only other new some could time these two may first then do any like my
now over such our man me even most made after also did many before must through back years much your way
well down should because each just those people year day work worker workers union unions trade labor
labour federation beijing china chinese city district street community company enterprise member members
news newspaper report article question answer query passage summary digest today yesterday week month
number percent service services activity activities meeting training safety health care help family
hello world women youth employee employees staff government party committee organization spring festival tree trees
planting plant green school student students teacher hospital doctor worker's model award competition
`;

/** A few hundred frequent hanzi, so questions with characters absent from the seeds still tokenize. */
const COMMON_HANZI =
  '的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双希片格办职费';

const FULLWIDTH_PUNCTUATION = '，。！？；：、“”‘’（）《》【】…—·％～';

/**
 * Tokens in id order: specials, ASCII (+ `##` continuations), common English words, every character of
 * the seed pages and a few hundred common hanzi; then, when `size` asks for more, filler tokens
 * (`[unused12]`, never produced by the pre-tokenizer) up to exactly `size` — a real vocabulary's size
 * is what sets the embedding table's cost.
 */
export async function buildVocab(seedsDir: string = DEFAULT_SEEDS_DIR, size?: number): Promise<string[]> {
  const out: string[] = [...SPECIAL_TOKENS];
  const seen = new Set<string>(out);
  const add = (t: string): void => {
    if (!seen.has(t)) {
      seen.add(t);
      out.push(t);
    }
  };
  // Printable ASCII, lowercased (the normalizer lowercases), plus WordPiece continuations of letters
  // and digits so any ASCII word decomposes into known pieces instead of [UNK].
  for (let c = 0x21; c < 0x7f; c++) {
    const ch = String.fromCharCode(c);
    if (ch >= 'A' && ch <= 'Z') continue;
    add(ch);
  }
  for (let c = 0x21; c < 0x7f; c++) {
    const ch = String.fromCharCode(c);
    if (/[a-z0-9]/u.test(ch)) add(`##${ch}`);
  }
  for (const w of ENGLISH_WORDS.split(/\s+/u)) if (w && !/[^a-z]/u.test(w)) add(w);

  const chars = new Set<string>();
  let files: string[] = [];
  try {
    files = listPages(seedsDir);
  } catch {
    files = []; // no seeds: the common characters still make a usable vocabulary
  }
  for (const f of files) {
    const text = (await readFile(path.join(seedsDir, f), 'utf8')).normalize('NFC').toLowerCase();
    for (const ch of text) if (ch.codePointAt(0)! > 0x7f && !/\s|\p{Cc}|\p{Cf}/u.test(ch)) chars.add(ch);
  }
  for (const ch of COMMON_HANZI) chars.add(ch);
  for (const ch of FULLWIDTH_PUNCTUATION) chars.add(ch);
  for (const ch of [...chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!)) add(ch);
  if (size !== undefined) {
    if (size < out.length) throw new Error(`vocabulary size ${size} is below the ${out.length} tokens the seed pages need`);
    for (let i = 0; out.length < size; i++) add(`[unused${i}]`);
  }
  return out;
}

export function tokenizerJson(vocab: string[]): object {
  const index = new Map(vocab.map((t, i) => [t, i]));
  const id = (t: string): number => index.get(t) ?? -1;
  const special = (t: string) => ({ id: t, ids: [id(t)], tokens: [t] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((t) => ({
      id: id(t),
      content: t,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': special('[CLS]'), '[SEP]': special('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
}

export const TOKENIZER_CONFIG = {
  tokenizer_class: 'BertTokenizer',
  model_max_length: 512,
  do_lower_case: true,
  tokenize_chinese_chars: true,
  strip_accents: null,
  clean_up_tokenization_spaces: true,
  pad_token: '[PAD]',
  unk_token: '[UNK]',
  cls_token: '[CLS]',
  sep_token: '[SEP]',
  mask_token: '[MASK]',
};

export function bertConfig(vocabSize: number, dim: number, layers = 1, heads = 1, intermediate = dim * 4): object {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: dim,
    num_hidden_layers: layers,
    num_attention_heads: heads,
    intermediate_size: intermediate,
    hidden_act: 'gelu',
    max_position_embeddings: 512,
    type_vocab_size: 2,
    vocab_size: vocabSize,
    pad_token_id: 0,
    layer_norm_eps: 1e-12,
    transformers_version: '4.40.0',
  };
}

// ---------------------------------------------------------------------------------------------
// Deterministic tables

export { mulberry32 };

/** rows × cols standard-normal values (Box–Muller over mulberry32), row-major. */
export function randomTable(rows: number, cols: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i += 2) {
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

export function scaleRow(table: Float32Array, row: number, dim: number, k: number): void {
  for (let j = 0; j < dim; j++) table[row * dim + j]! *= k;
}

