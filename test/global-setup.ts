/**
 * vitest globalSetup: ONE throwaway PostgreSQL for the whole run (state, delivery and end-to-end
 * suites run on both backends). Its URL reaches the test processes as BAOWEN_TEST_DATABASE_URL;
 * set that variable yourself to use a server you own instead (every test works in its own schema).
 */
import { startThrowawayPostgres } from './postgres.js';

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.BAOWEN_TEST_DATABASE_URL) return undefined;
  const pg = await startThrowawayPostgres();
  process.env.BAOWEN_TEST_DATABASE_URL = pg.url;
  return () => pg.stop();
}
