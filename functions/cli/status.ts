// smart-connect status: whether Smart Connect is on for one instance. stdout: the Status object.
import { deadlineIn } from '../../shared/runtime/index.ts';
import { readStatus } from '../../shared/status/index.ts';
import { text, type CliCommand } from './command.ts';
import { EXIT_FAILED, EXIT_INVALID, EXIT_OK, fieldsOf } from './session.ts';

// One detail read, retried as every idempotent call.
const STATUS_BUDGET_MS = 30_000;

export const statusCommand: CliCommand = {
  name: 'status',
  usage: 'status --project-id P --instance-id I [--region R]',
  options: {
    'project-id': { type: 'string' },
    'instance-id': { type: 'string' },
    region: { type: 'string' },
  },
  async run(flags, session) {
    const input = fieldsOf({ project_id: text(flags, 'project-id'), instance_id: text(flags, 'instance-id'), region: text(flags, 'region') });
    const outcome = await readStatus(input, { enabler: session.core.enabler, deadline: deadlineIn(STATUS_BUDGET_MS), logger: session.logger });
    switch (outcome.kind) {
      case 'invalid':
        session.sayInvalid(outcome.issues);
        return EXIT_INVALID;
      case 'found':
        session.print(outcome.status);
        return EXIT_OK;
      case 'failed':
        session.say(`${outcome.failure.code}: ${outcome.failure.message}`);
        return EXIT_FAILED;
    }
  },
};
