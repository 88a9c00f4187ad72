// Command line for automation: the same environment and core as the functions.
//   enable --project-id P --instance-id I [--region R] [--node-cnt N]
//          [--specification S --spec-code C] [--callback-url U]
// stdout: the JobResult as JSON. Exit 0 accepted or already_enabled, 2 invalid input (nothing was
// sent), 1 any other failure.
import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, secretsInEnvironment } from '../shared/config/index.ts';
import { createJsonLogger } from '../shared/runtime/index.ts';
import { FIELD_MAX, redact, redactFields } from '../shared/redact/index.ts';
import { enableAndReport } from '../shared/enable/index.ts';
import { jobResultJson } from '../shared/result/index.ts';
import { deadlineIn } from '../shared/runtime/index.ts';
import { wireEnabler } from './lambda.ts';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INVALID = 2;

const USAGE =
  'usage: smart-connect enable --project-id P --instance-id I [--region R] [--node-cnt N] ' +
  '[--specification S --spec-code C] [--callback-url U]';

// Long enough for throttling and a busy instance to clear, short enough for a pipeline step.
const CLI_BUDGET_MS = 120_000;

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const OPTIONS = {
  'project-id': { type: 'string' },
  'instance-id': { type: 'string' },
  region: { type: 'string' },
  'node-cnt': { type: 'string' },
  specification: { type: 'string' },
  'spec-code': { type: 'string' },
  'callback-url': { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // Everything written is redacted with the secrets known at the time: the environment's, then the
  // enabler's (which adds credentials read from Secrets Manager).
  let secrets = (): readonly string[] => secretsInEnvironment(io.env);
  const stderr = (text: string) => io.stderr(redact(text, secrets()));
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    stderr(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return EXIT_INVALID;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1 || positionals[0] !== 'enable') {
    stderr(`unknown command ${positionals.join(' ') || '(none)'}\n${USAGE}\n`);
    return EXIT_INVALID;
  }

  let wired;
  try {
    const config = loadConfig(io.env);
    // The secret is read through the Lambda extension, which exists only inside Lambda.
    const insideLambda = Boolean(io.env.AWS_LAMBDA_FUNCTION_NAME);
    if (config.credentials.kind === 'secret' && !insideLambda) {
      throw new ConfigError('HUAWEICLOUD_CREDENTIALS_SECRET', 'is read only inside AWS Lambda; on the command line set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK');
    }
    wired = wireEnabler(config, io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    stderr(`configuration: ${error.message}\n`);
    return EXIT_FAILED;
  }
  const { enabler, tracking } = wired;
  secrets = () => enabler.secrets();
  // Log lines are redacted by the logger itself.
  const logger = createJsonLogger({ write: values.verbose ? (line) => io.stderr(`${line}\n`) : () => {}, secrets, fields: { trigger: 'cli' } });

  // Flags map one to one onto the request fields; absent flags stay absent so defaults apply.
  const input = Object.fromEntries(
    Object.entries({
      project_id: values['project-id'],
      instance_id: values['instance-id'],
      region: values.region,
      node_cnt: values['node-cnt'],
      specification: values.specification,
      spec_code: values['spec-code'],
      callback_url: values['callback-url'],
    }).filter(([, value]) => value !== undefined),
  );
  // The same flow as the functions: the callback (if any) is told, and with TRACKING_QUEUE_URL the
  // job is followed; invalid input, or a callback URL the guard refuses, sends nothing to Huawei.
  const outcome = await enableAndReport(input, {
    enabler,
    source: 'cli',
    deadline: deadlineIn(CLI_BUDGET_MS),
    dedupeKey: `cli:${randomUUID()}`,
    logger,
    reportRejections: false,
    tracking,
  });
  const { result } = outcome;
  io.stdout(`${JSON.stringify(redactFields(jobResultJson(result), secrets(), { maxLength: FIELD_MAX }))}\n`);
  if (outcome.kind === 'invalid') {
    for (const issue of outcome.issues) stderr(`invalid ${issue.field}: ${issue.message}\n`);
    return EXIT_INVALID;
  }
  if (outcome.callback && !outcome.callback.delivered) {
    stderr(`callback not delivered: ${outcome.callback.error.code}: ${outcome.callback.error.message}\n`);
  }
  if (result.status === 'accepted' || result.status === 'already_enabled') return EXIT_OK;
  if (result.error) stderr(`${result.error.code}: ${result.error.message}\n`);
  return EXIT_FAILED;
}

// Run only as the program itself (directly, or through the package's bin link), so tests can import runCli.
function isMainModule(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isMainModule()) {
  runCli(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`internal error: ${error instanceof Error ? redact(error.message, secretsInEnvironment(process.env)) : 'unknown'}\n`);
      process.exitCode = EXIT_FAILED;
    },
  );
}
