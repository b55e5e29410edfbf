/** What the bot needs from the rest of the app; passed once to `createBot` and on to every feature. */
import type { Config } from '../config.js';
import type { Engine } from '../engine.js';
import type { Logger } from '../log.js';
import type { QuestionLog, State } from '../state/index.js';
import type { UpdateJournal } from '../state/journal.js';

/** The bot's durable state (users, language, feedback; subscriptions for the subscribe feature). */
export type BotState = State;

export interface BotDeps {
  config: Config;
  log: Logger;
  engine: Engine;
  state: State;
  /** Where updates are recorded before they are handled (src/bot/durable.ts); absent in tests that need none. */
  journal?: UpdateJournal;
  /** What readers asked (default: the log on `state`, see createBot). */
  questions?: QuestionLog;
}
