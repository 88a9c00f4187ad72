// npm run invoke -- <function> <event.json>: runs a built bundle (dist/<function>/index.mjs) with a
// Lambda-like context and prints its answer. `osls invoke local` cannot load .mjs handlers.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lambdaContext } from '../local/lambda-context.ts';

// The timeouts serverless.yml gives each function.
const TIMEOUT_SECONDS = { http: 29, queue: 120, schedule: 300 };

const [name, eventPath] = process.argv.slice(2);
if (!name || !eventPath || !(name in TIMEOUT_SECONDS)) {
  process.stderr.write(`usage: npm run invoke -- <${Object.keys(TIMEOUT_SECONDS).join('|')}> <event.json>\n`);
  process.exit(2);
}

const event = JSON.parse(await readFile(eventPath, 'utf8'));
const context = lambdaContext({ functionName: `smart-connect-enabler-local-${name}`, timeoutMs: TIMEOUT_SECONDS[name] * 1000 });

const { handler } = await import(pathToFileURL(resolve(`dist/${name}/index.mjs`)).href);
try {
  const answer = await handler(event, context);
  process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
} catch (error) {
  // What Lambda reports for a failed invocation: the error's type and message.
  process.stdout.write(`${JSON.stringify({ errorType: error?.name ?? 'Error', errorMessage: error?.message ?? String(error) }, null, 2)}\n`);
  process.exitCode = 1;
}
