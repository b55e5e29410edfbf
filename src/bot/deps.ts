/** What the bot needs from the rest of the app; passed once to `createBot` and on to every feature. */
import type { Config } from '../config.js';
import type { Engine } from '../engine.js';
import type { Logger } from '../log.js';
import type { State } from '../state/index.js';

/** The bot's durable state (users, language, feedback; subscriptions for the subscribe feature). */
export type BotState = State;

export interface BotDeps {
  config: Config;
  log: Logger;
  engine: Engine;
  state: State;
}
