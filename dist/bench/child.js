/**
 * Entry point of one bench phase in its own process: `node --import tsx child.ts <phase> <input-json>`.
 * Prints the phase's result as one JSON line on stdout; progress goes to stderr.
 */
import { PHASES } from './phases.js';
const [phase, json] = process.argv.slice(2);
const run = PHASES[phase];
if (!run || !json) {
    process.stderr.write(`usage: child.ts <${Object.keys(PHASES).join('|')}> <input-json>\n`);
    process.exit(2);
}
run(JSON.parse(json)).then((result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    // Native handles (onnxruntime) may keep the loop alive; the result is out.
    process.exit(0);
}, (e) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
});
//# sourceMappingURL=child.js.map