// smart-connect enable: one instance, through the same flow as the functions (the callback, if any,
// is told; with TRACKING_QUEUE_URL the job is tracked; without --project-id, the project named after
// the region). stdout: the JobResult.
import { runEnableFlow } from '../../shared/enable/index.ts';
import { jobResultJson, type JobResultJson } from '../../shared/result/index.ts';
import { fieldsOf, type CliCommand, type Flag } from './command.ts';
import { CALLBACK_ENVIRONMENT, HUAWEI_ENVIRONMENT } from './environment.ts';
import { EXIT_FAILED, EXIT_INVALID, EXIT_OK } from './session.ts';
import { countsNote, errorText, renderTable } from './table.ts';

// Long enough for throttling and a busy instance to clear, short enough for a pipeline step.
const ENABLE_BUDGET_MS = 120_000;

const FLAGS: readonly Flag[] = [
  { name: 'project-id', value: 'P', field: 'request', meaning: 'the project (32 hex characters); default: the project of the region' },
  { name: 'instance-id', value: 'I', field: 'request', required: true, meaning: "the Kafka instance's id (a UUID)" },
  { name: 'region', value: 'R', field: 'request', meaning: 'the region, e.g. cn-north-4; default HUAWEICLOUD_REGION' },
  { name: 'node-cnt', value: 'N', field: 'request', meaning: 'connector nodes, 2 or more; default 2' },
  { name: 'specification', value: 'S', field: 'request', meaning: "an old flavour's connector bandwidth (100MB|300MB|600MB|1200MB), with --spec-code" },
  { name: 'spec-code', value: 'C', field: 'request', meaning: "an old flavour's connector spec code, with --specification" },
  { name: 'callback-url', value: 'U', field: 'request', meaning: 'where the result is written, signed (https); default CALLBACK_URL' },
];

export const enableCommand: CliCommand = {
  name: 'enable',
  summary: 'turn Smart Connect on for one Kafka instance; prints the JobResult',
  synopsis: 'enable [--project-id P] --instance-id I [--region R] [--node-cnt N] [--specification S --spec-code C] [--callback-url U]',
  flags: FLAGS,
  environment: [...HUAWEI_ENVIRONMENT, ...CALLBACK_ENVIRONMENT, 'TRACKING_QUEUE_URL'],
  example: 'smart-connect enable --project-id 0a1b2c3d4e5f60718293a4b5c6d7e8f9 --instance-id 5c1f3a9e-7b2d-4e8a-9f10-2a3b4c5d6e01 --output table',
  async run(flags, session) {
    // Invalid input, or a callback URL the guard refuses, sends nothing to Huawei.
    const outcome = await runEnableFlow(fieldsOf(flags, FLAGS, 'request'), session.context(ENABLE_BUDGET_MS));
    const { result } = outcome;
    session.print(jobResultJson(result), resultTable);
    if (outcome.kind === 'invalid') {
      session.sayInvalid(outcome.issues);
      return EXIT_INVALID;
    }
    session.sayCallback(outcome.callback);
    if (result.status === 'accepted' || result.status === 'already_enabled') return EXIT_OK;
    if (result.error) session.say(errorText(result.error));
    return EXIT_FAILED;
  },
};

function resultTable(result: JobResultJson): string {
  return renderTable({
    columns: [
      { title: 'INSTANCE', cell: (r) => r.instance_id },
      { title: 'STATUS', cell: (r) => r.status },
      { title: 'JOB', cell: (r) => r.job_id },
      { title: 'CONNECTOR', cell: (r) => r.connector_id },
      { title: 'ERROR', cell: (r) => r.error && errorText(r.error), max: 80 },
    ],
    rows: [result],
    notes: [countsNote({ [result.status]: 1 })],
  });
}
