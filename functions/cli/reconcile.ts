// smart-connect reconcile: every Kafka instance of a project that a selector matches (with
// --all-projects, of every project of the account), through the same flow as a selector target
// (planned with --dry-run; otherwise enabled here, or fanned out to ENABLE_QUEUE_URL when set; the
// summary goes to the reconcile callback, bounded). stdout: the whole Fleet or Account summary.
import { ALL_PROJECTS, fleetRunFailed, isAccountSummary, reconcileAndReport } from '../../shared/fleet/index.ts';
import type { RequestIssue } from '../../shared/request/index.ts';
import { quote } from '../../shared/runtime/index.ts';
import { fieldsOf, textOptions, type CliCommand, type Flags } from './command.ts';
import { EXIT_FAILED, EXIT_INVALID, EXIT_OK } from './session.ts';

// Listing a large project and enabling what needs it, a few at a time, with Huawei's rate limits.
const RECONCILE_BUDGET_MS = 600_000;
const FIELDS = ['project-id', 'region', 'node-cnt', 'callback-url'];
const SELECT_FIELDS = ['name-prefix', 'enterprise-project-id'];

export const reconcileCommand: CliCommand = {
  name: 'reconcile',
  usage:
    'reconcile ([--project-id P] [--region R] | --all-projects [--regions R1,R2]) [--tag KEY=VALUE]... [--name-prefix X] ' +
    '[--enterprise-project-id E] [--node-cnt N] [--callback-url U] [--dry-run]',
  options: {
    ...textOptions(...FIELDS, ...SELECT_FIELDS, 'regions'),
    tag: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    'all-projects': { type: 'boolean' },
  },
  async run(flags, session) {
    const tags = tagsOf(flags.tag);
    if (!tags.ok) {
      session.sayInvalid(tags.issues);
      return EXIT_INVALID;
    }
    const input = {
      ...(flags['all-projects'] === true ? { projects: ALL_PROJECTS } : {}),
      // A comma list; the schema judges each region (and refuses regions without --all-projects).
      ...(typeof flags.regions === 'string' ? { regions: flags.regions.split(',').map((region) => region.trim()) } : {}),
      ...fieldsOf(flags, FIELDS),
      select: { ...fieldsOf(flags, SELECT_FIELDS), ...(tags.tags ? { tags: tags.tags } : {}) },
      ...(flags['dry-run'] === true ? { dry_run: true } : {}),
    };
    const outcome = await reconcileAndReport(input, session.context(RECONCILE_BUDGET_MS));
    if (outcome.kind === 'invalid') {
      session.sayInvalid(outcome.issues);
      return EXIT_INVALID;
    }
    const { summary, callback } = outcome;
    session.print(summary);
    if (callback && !callback.delivered) session.say(`callback not delivered: ${callback.error.code}: ${callback.error.message}`);
    if (summary.error) session.say(`${summary.error.code}: ${summary.error.message}`);
    const failedProjects = isAccountSummary(summary) ? summary.projects.filter((project) => project.error) : [];
    for (const { project_name, project_id, error } of failedProjects) session.say(`project ${project_name} (${project_id}): ${error?.code}: ${error?.message}`);
    return fleetRunFailed(summary) ? EXIT_FAILED : EXIT_OK;
  },
};

type Tags = { readonly ok: true; readonly tags: Record<string, string> | undefined } | { readonly ok: false; readonly issues: RequestIssue[] };

/** --tag KEY=VALUE, given once per key (KEY=* for any value); the schema judges keys and values. */
function tagsOf(given: Flags[string]): Tags {
  if (!Array.isArray(given)) return { ok: true, tags: undefined };
  const tags: Record<string, string> = {};
  const issues: RequestIssue[] = [];
  for (const entry of given) {
    const at = entry.indexOf('=');
    if (at < 0) {
      issues.push({ field: 'tag', message: `must be KEY=VALUE (KEY=* for any value), not ${quote(entry)}` });
      continue;
    }
    const key = entry.slice(0, at);
    // Every condition must hold: two values for one key would match nothing.
    if (Object.hasOwn(tags, key)) issues.push({ field: 'tag', message: `names ${quote(key)} more than once (one value per key)` });
    // Defined, not assigned: a key such as __proto__ must stay a key (the schema refuses it by name).
    else Object.defineProperty(tags, key, { value: entry.slice(at + 1), enumerable: true, writable: true, configurable: true });
  }
  return issues.length ? { ok: false, issues } : { ok: true, tags };
}
