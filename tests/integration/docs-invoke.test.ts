// The `npm run invoke` examples the docs print (README.md and docs/*.md), run as written with a shell
// against a started local stack: its placeholders filled with what the stack printed (its DMS URL,
// the callback secret it generated), then the bundle's answer and the callback the stack's sink
// verified. The one liberty: the stack listens on an ephemeral port (suites run side by side), so
// the stack's default port 3000 is rewritten to it, in the command and in the sample event's
// callback_url.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../../local/hosting/index.ts';
import { startStackProcess, type StackProcess } from '../support/local-stack-process.ts';

const DOCS = ['README.md', ...readdirSync('docs').map((name) => join('docs', name))].filter((path) => path.endsWith('.md'));
const DEFAULT_PORT = '127.0.0.1:3000';

/** Every ```sh block of the docs that runs `npm run invoke`, with the file it is in. */
const EXAMPLES = DOCS.flatMap((path) =>
  [...readFileSync(path, 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((match) =>
    match[1]?.includes('npm run invoke --') ? [{ path, block: match[1].trim() }] : [],
  ),
);

let stack: StackProcess;
let printed: { dms: string; secret: string; port: string };
let scratch: string;

beforeAll(async () => {
  assertBuilt();
  // As a newcomer starts it: the default ids, no secret of their own (the stack generates and prints one).
  stack = await startStackProcess({});
  const output = stack.output();
  printed = {
    dms: /^ {2}DMS +(http:\/\/127\.0\.0\.1:\d+) \(simulator/m.exec(output)?.[1] ?? 'no DMS line',
    secret: /generated for this session \(set CALLBACK_SECRET to choose one\): (whsec_\S+)/.exec(output)?.[1] ?? 'no secret line',
    port: new URL(stack.base).port,
  };
  scratch = mkdtempSync(join(tmpdir(), 'docs-invoke-'));
});

afterAll(async () => {
  await stack?.kill();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The example with the stack's values in place of its placeholders and of the default port; its sample event copied with that port. */
function asRun(block: string): string {
  let command = block
    .replace(/<the DMS URL the stack printed>/g, printed.dms)
    .replace(/<the secret the stack printed[^>]*>/g, printed.secret)
    .replaceAll(DEFAULT_PORT, `127.0.0.1:${printed.port}`);
  const unfilled = /<[^>]+>/.exec(command);
  if (unfilled) throw new Error(`a placeholder this test does not know how to fill: ${unfilled[0]}`);
  for (const eventPath of new Set(command.match(/events\/[\w.-]+\.json/g) ?? [])) {
    const copy = join(scratch, eventPath.replace('/', '-'));
    writeFileSync(copy, withPort(readFileSync(eventPath, 'utf8')));
    command = command.replaceAll(eventPath, copy);
  }
  return command;
}

/** A sample event whose body (base64 or not) names the default port, naming the stack's instead. */
function withPort(text: string): string {
  const event = JSON.parse(text) as { body?: string; isBase64Encoded?: boolean; headers?: Record<string, string> };
  if (typeof event.body === 'string') {
    const body = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    const moved = body.replaceAll(DEFAULT_PORT, `127.0.0.1:${printed.port}`);
    event.body = event.isBase64Encoded ? Buffer.from(moved).toString('base64') : moved;
    if (event.headers?.['content-length']) event.headers['content-length'] = String(Buffer.byteLength(moved));
  }
  return JSON.stringify(event);
}

function shell(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    // Only what a fresh terminal has: nothing of the test runner's own settings.
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() };
    execFile('sh', ['-c', command], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

interface Listed {
  type: string;
  verified: boolean;
  'webhook-id': string;
  body: string;
}

describe("the docs' npm run invoke examples, run as written against a started stack", () => {
  it('the docs have at least one, in the README', () => {
    expect(EXAMPLES.map((example) => example.path)).toContain('README.md');
  });

  it.each(EXAMPLES)("$path: the bundle answers, and the stack's sink verifies its callback", async ({ block }) => {
    const event = JSON.parse(readFileSync(/events\/[\w.-]+\.json/.exec(block)?.[0] ?? 'no event named', 'utf8')) as { pathParameters: { instance_id: string } };
    const instanceId = event.pathParameters.instance_id;
    const callbacks = async () => (await (await fetch(`${stack.base}/callbacks?instance_id=${instanceId}`)).json()) as Listed[];
    const before = (await callbacks()).map((c) => c['webhook-id']);

    const result = await shell(asRun(block));
    expect(result.code, result.stderr).toBe(0);
    // npm's own lines and the function's log lines first, then the answer, indented over several lines.
    const start = result.stdout.search(/^\{$/m);
    const answer = JSON.parse(result.stdout.slice(start)) as { statusCode: number; body: string };
    expect([202, 200]).toContain(answer.statusCode);
    const status = (JSON.parse(answer.body) as { status: string }).status;

    const arrived = (await callbacks()).filter((c) => !before.includes(c['webhook-id']));
    expect(
      arrived.map((c) => ({ type: c.type, verified: c.verified })),
      stack.output().slice(-2_000),
    ).toEqual([{ type: `smart_connect.enable.${status}`, verified: true }]);
  });
});
