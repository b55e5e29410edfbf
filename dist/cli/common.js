/** Shared plumbing for the thin CLIs in scripts/: config, stderr logger, clean fatal errors. */
import { ConfigError, loadConfig, loadDotEnv } from '../config.js';
import { createLogger } from '../log.js';
import { IndexError } from '../store/errors.js';
/** Config + a logger on stderr (stdout stays clean for --json). CLIs are quieter than the bot by default. */
export function cliContext() {
    loadDotEnv();
    const config = loadConfig();
    const level = process.env.LOG_LEVEL ?? 'warn';
    return { config, log: createLogger(level) };
}
/** Runs a CLI main; known errors print one clear line instead of a stack trace. */
export function runCli(main) {
    main().then((code) => {
        process.exitCode = code ?? 0;
    }, (e) => {
        if (e instanceof ConfigError || e instanceof IndexError || e instanceof UsageError) {
            process.stderr.write(`${e.message}\n`);
        }
        else {
            process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        }
        process.exitCode = e instanceof UsageError ? 2 : 1;
    });
}
export class UsageError extends Error {
    name = 'UsageError';
}
/** Minimal flag parsing: `--flag`, `--key value`, positionals. */
export function parseArgs(argv, valued = []) {
    const flags = new Set();
    const values = new Map();
    const rest = [];
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === '--') {
            rest.push(...argv.slice(i + 1));
            break;
        }
        if (a.startsWith('--')) {
            const eq = a.indexOf('=');
            const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
            if (valued.includes(name)) {
                const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
                if (v === undefined)
                    throw new UsageError(`--${name} needs a value`);
                values.set(name, v);
            }
            else
                flags.add(name);
        }
        else
            rest.push(a);
    }
    return { flags, values, rest };
}
//# sourceMappingURL=common.js.map