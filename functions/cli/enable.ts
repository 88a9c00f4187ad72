// smart-connect enable: one instance, through the same flow as the functions (the callback, if any,
// is told; with TRACKING_QUEUE_URL the job is followed; without --project-id, the project named after
// the region). stdout: the JobResult.
import { runEnableFlow } from '../../shared/enable/index.ts';
import { jobResultJson } from '../../shared/result/index.ts';
import { fieldsOf, textOptions, type CliCommand } from './command.ts';
import { EXIT_FAILED, EXIT_INVALID, EXIT_OK } from './session.ts';

// Long enough for throttling and a busy instance to clear, short enough for a pipeline step.
const ENABLE_BUDGET_MS = 120_000;
const FIELDS = ['project-id', 'instance-id', 'region', 'node-cnt', 'specification', 'spec-code', 'callback-url'];

export const enableCommand: CliCommand = {
  name: 'enable',
  usage: 'enable [--project-id P] --instance-id I [--region R] [--node-cnt N] [--specification S --spec-code C] [--callback-url U]',
  options: textOptions(...FIELDS),
  async run(flags, session) {
    // Invalid input, or a callback URL the guard refuses, sends nothing to Huawei.
    const outcome = await runEnableFlow(fieldsOf(flags, FIELDS), session.context(ENABLE_BUDGET_MS));
    const { result } = outcome;
    session.print(jobResultJson(result));
    if (outcome.kind === 'invalid') {
      session.sayInvalid(outcome.issues);
      return EXIT_INVALID;
    }
    if (outcome.callback && !outcome.callback.delivered) {
      session.say(`callback not delivered: ${outcome.callback.error.code}: ${outcome.callback.error.message}`);
    }
    if (result.status === 'accepted' || result.status === 'already_enabled') return EXIT_OK;
    if (result.error) session.say(`${result.error.code}: ${result.error.message}`);
    return EXIT_FAILED;
  },
};
