// smart-connect enable: one instance, through the same flow as the functions (the callback, if any,
// is told; with TRACKING_QUEUE_URL the job is followed). stdout: the JobResult.
import { randomUUID } from 'node:crypto';
import { enableAndReport } from '../../shared/enable/index.ts';
import { jobResultJson } from '../../shared/result/index.ts';
import { deadlineIn } from '../../shared/runtime/index.ts';
import { text, type CliCommand } from './command.ts';
import { EXIT_FAILED, EXIT_INVALID, EXIT_OK, fieldsOf } from './session.ts';

// Long enough for throttling and a busy instance to clear, short enough for a pipeline step.
const ENABLE_BUDGET_MS = 120_000;

export const enableCommand: CliCommand = {
  name: 'enable',
  usage: 'enable --project-id P --instance-id I [--region R] [--node-cnt N] [--specification S --spec-code C] [--callback-url U]',
  options: {
    'project-id': { type: 'string' },
    'instance-id': { type: 'string' },
    region: { type: 'string' },
    'node-cnt': { type: 'string' },
    specification: { type: 'string' },
    'spec-code': { type: 'string' },
    'callback-url': { type: 'string' },
  },
  async run(flags, session) {
    const input = fieldsOf({
      project_id: text(flags, 'project-id'),
      instance_id: text(flags, 'instance-id'),
      region: text(flags, 'region'),
      node_cnt: text(flags, 'node-cnt'),
      specification: text(flags, 'specification'),
      spec_code: text(flags, 'spec-code'),
      callback_url: text(flags, 'callback-url'),
    });
    // Invalid input, or a callback URL the guard refuses, sends nothing to Huawei.
    const outcome = await enableAndReport(input, {
      enabler: session.core.enabler,
      source: 'cli',
      deadline: deadlineIn(ENABLE_BUDGET_MS),
      dedupeKey: `cli:${randomUUID()}`,
      logger: session.logger,
      reportRejections: false,
      tracking: session.core.tracking,
    });
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
