// smart-connect status: whether Smart Connect is on for one instance (without --project-id, in the
// project named after the region). stdout: the Status object.
import { readStatus } from '../../shared/status/index.ts';
import { fieldsOf, textOptions, type CliCommand } from './command.ts';
import { EXIT_FAILED, EXIT_INVALID, EXIT_OK } from './session.ts';

// One detail read, retried as every idempotent call.
const STATUS_BUDGET_MS = 30_000;
const FIELDS = ['project-id', 'instance-id', 'region'];

export const statusCommand: CliCommand = {
  name: 'status',
  usage: 'status [--project-id P] --instance-id I [--region R]',
  options: textOptions(...FIELDS),
  async run(flags, session) {
    const outcome = await readStatus(fieldsOf(flags, FIELDS), session.context(STATUS_BUDGET_MS));
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
