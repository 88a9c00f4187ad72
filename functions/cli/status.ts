// smart-connect status: whether Smart Connect is on for one instance (without --project-id, in the
// project named after the region). stdout: the Status object.
import { readStatus, type SmartConnectStatus } from '../../shared/status/index.ts';
import { fieldsOf, type CliCommand, type Flag } from './command.ts';
import { HUAWEI_ENVIRONMENT } from './environment.ts';
import { EXIT_FAILED, EXIT_INVALID, EXIT_OK } from './session.ts';
import { countsNote, errorText, renderTable } from './table.ts';

// One detail read, retried as every idempotent call.
const STATUS_BUDGET_MS = 30_000;

const FLAGS: readonly Flag[] = [
  { name: 'project-id', value: 'P', field: 'request', meaning: 'the project (32 hex characters); default: the project of the region' },
  { name: 'instance-id', value: 'I', field: 'request', required: true, meaning: "the Kafka instance's id (a UUID)" },
  { name: 'region', value: 'R', field: 'request', meaning: 'the region, e.g. cn-north-4; default HUAWEICLOUD_REGION' },
];

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'whether Smart Connect is on for one Kafka instance; prints the Status object',
  synopsis: 'status [--project-id P] --instance-id I [--region R]',
  flags: FLAGS,
  environment: HUAWEI_ENVIRONMENT,
  example: 'smart-connect status --project-id 0a1b2c3d4e5f60718293a4b5c6d7e8f9 --instance-id 5c1f3a9e-7b2d-4e8a-9f10-2a3b4c5d6e01',
  async run(flags, session) {
    const outcome = await readStatus(fieldsOf(flags, FLAGS, 'request'), session.context(STATUS_BUDGET_MS));
    switch (outcome.kind) {
      case 'invalid':
        session.sayInvalid(outcome.issues);
        return EXIT_INVALID;
      case 'found':
        session.print(outcome.status, statusTable);
        return EXIT_OK;
      case 'failed':
        session.say(errorText(outcome.failure));
        return EXIT_FAILED;
    }
  },
};

function statusTable(status: SmartConnectStatus): string {
  return renderTable({
    columns: [
      { title: 'INSTANCE', cell: (s) => s.instance_id },
      { title: 'STATE', cell: (s) => s.state },
      { title: 'CONNECTOR', cell: (s) => s.connector_id },
      { title: 'INSTANCE STATUS', cell: (s) => s.instance_status },
      { title: 'PAY PER USE', cell: (s) => (s.pay_per_use ? 'yes' : 'no') },
    ],
    rows: [status],
    notes: [countsNote({ [status.state]: 1 })],
  });
}
