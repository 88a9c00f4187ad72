// smart-connect reconcile: every Kafka instance of a project that a selector matches (with
// --all-projects, of every project of the account), through the same flow as a selector target
// (planned with --dry-run; otherwise enabled here, or fanned out to ENABLE_QUEUE_URL when set; the
// summary goes to the reconcile callback, bounded). stdout: the whole Fleet or Account summary;
// stderr, when it is a terminal: how far the run has come.
import {
  ALL_PROJECTS,
  fleetRunFailed,
  isAccountSummary,
  runFleetFlow,
  type AccountSummary,
  type FleetError,
  type FleetInstanceResult,
  type FleetProgress,
  type FleetSummary,
  type RunSummary,
} from '../../shared/fleet/index.ts';
import type { RequestIssue } from '../../shared/request/index.ts';
import { quote } from '../../shared/runtime/index.ts';
import { fieldsOf, type CliCommand, type Flag, type Flags } from './command.ts';
import { CALLBACK_ENVIRONMENT, HUAWEI_ENVIRONMENT } from './environment.ts';
import { EXIT_FAILED, EXIT_INVALID, EXIT_OK } from './session.ts';
import { countsNote, errorText, renderTable, type Column } from './table.ts';

// Listing a large project and enabling what needs it, a few at a time, with Huawei's rate limits.
const RECONCILE_BUDGET_MS = 600_000;
// How much of the run's own error a table's note quotes (stderr has it too).
const NOTE_QUOTE = 200;

const FLAGS: readonly Flag[] = [
  { name: 'project-id', value: 'P', field: 'request', meaning: 'the project (32 hex characters); default: the project of the region' },
  { name: 'region', value: 'R', field: 'request', meaning: 'the region, e.g. cn-north-4; default HUAWEICLOUD_REGION' },
  { name: 'tag', value: 'KEY=VALUE', repeatable: true, meaning: 'instances with this tag (KEY=* : with the key, any value); repeat for more, all must hold' },
  { name: 'name-prefix', value: 'X', field: 'select', meaning: 'instances whose name starts with X' },
  { name: 'enterprise-project-id', value: 'E', field: 'select', meaning: 'instances of this enterprise project' },
  { name: 'node-cnt', value: 'N', field: 'request', meaning: 'connector nodes for each instance enabled, 2 or more; default 2' },
  { name: 'callback-url', value: 'U', field: 'request', meaning: "where the run's summary (and each instance's result) is written; default CALLBACK_URL" },
  { name: 'all-projects', meaning: 'every project of the account the credentials reach (found through IAM), not one project' },
  { name: 'regions', value: 'R1,R2', meaning: 'with --all-projects: only the projects of these regions' },
  { name: 'dry-run', meaning: 'plan only: say what would be done, enable nothing' },
];

export const reconcileCommand: CliCommand = {
  name: 'reconcile',
  summary: 'turn Smart Connect on for every instance of a project (or of the account) that a selector matches; prints the Fleet or Account summary',
  synopsis:
    'reconcile ([--project-id P] [--region R] | --all-projects [--regions R1,R2]) [--tag KEY=VALUE]... [--name-prefix X] [--enterprise-project-id E] [--node-cnt N] [--callback-url U] [--dry-run]',
  flags: FLAGS,
  environment: [...HUAWEI_ENVIRONMENT, ...CALLBACK_ENVIRONMENT, 'ENABLE_QUEUE_URL'],
  example: 'smart-connect reconcile --all-projects --tag team=data --dry-run --output table',
  async run(flags, session) {
    const tags = tagsOf(flags.tag);
    if (tags.kind === 'invalid') {
      session.sayInvalid(tags.issues);
      return EXIT_INVALID;
    }
    const input = {
      ...(flags['all-projects'] === true ? { projects: ALL_PROJECTS } : {}),
      // A comma list; the schema judges each region (and refuses regions without --all-projects).
      ...(typeof flags.regions === 'string' ? { regions: flags.regions.split(',').map((region) => region.trim()) } : {}),
      ...fieldsOf(flags, FLAGS, 'request'),
      select: { ...fieldsOf(flags, FLAGS, 'select'), ...(tags.tags ? { tags: tags.tags } : {}) },
      ...(flags['dry-run'] === true ? { dry_run: true } : {}),
    };
    session.progress('reconcile: listing the Kafka instances…');
    const onProgress = (progress: FleetProgress) => session.progress(progressText(progress, flags['dry-run'] === true));
    const outcome = await runFleetFlow(input, session.context(RECONCILE_BUDGET_MS, { onProgress }));
    if (outcome.kind === 'invalid') {
      session.sayInvalid(outcome.issues);
      return EXIT_INVALID;
    }
    const { summary, callback } = outcome;
    session.print(summary, summaryTable);
    session.sayCallback(callback);
    if (summary.error) session.say(errorText(summary.error));
    const failedProjects = isAccountSummary(summary) ? summary.projects.filter((project) => project.error) : [];
    for (const { project_name, project_id, error } of failedProjects) if (error) session.say(`project ${project_name} (${project_id}): ${errorText(error)}`);
    return fleetRunFailed(summary) ? EXIT_FAILED : EXIT_OK;
  },
};

function progressText({ listed, matched, toEnable, done }: FleetProgress, dryRun: boolean): string {
  const planned = `reconcile: ${listed} listed, ${matched} matched, ${toEnable} to enable`;
  return dryRun || toEnable === 0 ? planned : `${planned}, ${done} done`;
}

function summaryTable(summary: RunSummary): string {
  return isAccountSummary(summary) ? accountTable(summary) : fleetTable(summary);
}

// One row per instance of every project, the project named first; counts and skipped projects below.
function accountTable(summary: AccountSummary): string {
  const rows = summary.projects.flatMap((project) => project.instances.map((instance) => ({ project: project.project_name, ...instance })));
  return renderTable({
    columns: [{ title: 'PROJECT', cell: (i) => i.project }, ...INSTANCE_COLUMNS],
    rows,
    notes: [
      `${summary.matched} matched${summary.dry_run ? ' (dry run)' : ''} in ${summary.projects.length} projects: ${countsNote(summary.counts)}`,
      ...summary.projects.flatMap((project) =>
        project.error ? [`project ${project.project_name} failed: ${quote(errorText(project.error), NOTE_QUOTE)}`] : [],
      ),
      ...(summary.skipped_projects.length
        ? [`skipped projects: ${summary.skipped_projects.map((skipped) => `${skipped.name} (${skipped.reason})`).join(', ')}`]
        : []),
      ...runFailedNote(summary.error),
    ],
  });
}

const INSTANCE_COLUMNS: readonly Column<FleetInstanceResult>[] = [
  { title: 'INSTANCE', cell: (i) => i.instance_id },
  { title: 'NAME', cell: (i) => i.name },
  { title: 'OUTCOME', cell: (i) => i.outcome },
  { title: 'CONNECTOR', cell: (i) => i.connector_id },
  { title: 'JOB', cell: (i) => i.job_id },
  { title: 'INSTANCE STATUS', cell: (i) => i.instance_status },
  { title: 'ERROR', cell: (i) => i.error && errorText(i.error), max: 80 },
];

function fleetTable(summary: FleetSummary): string {
  return renderTable({
    columns: INSTANCE_COLUMNS,
    rows: summary.instances,
    notes: [
      `${summary.matched} matched${summary.dry_run ? ' (dry run)' : ''} in ${summary.project_id} (${summary.region}): ${countsNote(summary.counts)}`,
      ...runFailedNote(summary.error),
    ],
  });
}

// How the run as a whole ended, when it failed.
function runFailedNote(error: FleetError | undefined): string[] {
  return error ? [`the run failed: ${quote(errorText(error), NOTE_QUOTE)}`] : [];
}

type Tags = { readonly kind: 'parsed'; readonly tags: Record<string, string> | undefined } | { readonly kind: 'invalid'; readonly issues: RequestIssue[] };

/** --tag KEY=VALUE, given once per key (KEY=* for any value); the schema judges keys and values. */
function tagsOf(given: Flags[string]): Tags {
  if (!Array.isArray(given)) return { kind: 'parsed', tags: undefined };
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
  return issues.length ? { kind: 'invalid', issues } : { kind: 'parsed', tags };
}
