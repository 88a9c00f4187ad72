// npm run invoke -- <function> <event.json>: runs a built bundle (dist/<function>/index.mjs) as Lambda
// would (local/hosting: its context and its timeout from serverless.yml) and prints its answer.
// `osls invoke local` cannot load .mjs handlers.
import { readFile } from 'node:fs/promises';
import { FUNCTION_NAMES, FUNCTION_TIMEOUT_MS, functionContext, invokeWithTimeout, loadFunction } from '../local/hosting/index.ts';

const [name, eventPath] = process.argv.slice(2);
if (!name || !eventPath || !FUNCTION_NAMES.includes(name)) {
  process.stderr.write(`usage: npm run invoke -- <${FUNCTION_NAMES.join('|')}> <event.json>\n`);
  process.exit(2);
}

const event = JSON.parse(await readFile(eventPath, 'utf8'));
// The bundle's own handler, as Lambda runs it: its metric lines on stdout too.
const { handler } = await loadFunction(name);
try {
  const answer = await invokeWithTimeout({ handler, event, context: functionContext(name), timeoutMs: FUNCTION_TIMEOUT_MS[name] });
  process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
} catch (error) {
  // What Lambda reports for a failed invocation: the error's type and message.
  process.stdout.write(`${JSON.stringify({ errorType: error?.name ?? 'Error', errorMessage: error?.message ?? String(error) }, null, 2)}\n`);
  process.exitCode = 1;
}
