// The local stack's start-up text: its routes and URLs, the DMS it talks to, the ids to try (the
// seeded fleet and the account's projects too), where the callback secret came from (a generated one
// is printed: it is the session's own), and ready-to-paste curl and command-line runs.
import type { FleetSeed, InstanceSeed, ProjectSeed } from '../simulator/index.ts';
import { classifyProjects } from '../../shared/projects/index.ts';
import { LOCAL_KEY } from './defaults.ts';
import type { CallbackSecret } from './environment.ts';
import { FLEET_TEAMS } from './seeds.ts';

export interface BannerFacts {
  url: string;
  dmsEndpoint: string;
  simulated: boolean;
  jobSeconds: number;
  region: string;
  projectId: string;
  /** The seeded instances: the given ones (ready to enable), then the mixed fleet. */
  instances: readonly InstanceSeed[];
  fleet: readonly FleetSeed[];
  /** The simulated account's projects, as IAM lists them (none with an endpoint from the environment). */
  accountProjects: readonly ProjectSeed[];
  secret: CallbackSecret;
  callbackUrl: string;
  callbackUrlFromEnv: boolean;
  allowedHosts: string;
  allowedFromEnv: boolean;
  scheduleIntervalSeconds: number | undefined;
}

export function bannerText(f: BannerFacts): string {
  const project = f.simulated ? f.projectId : '<project_id>';
  const [first = '<instance_id>', second = first, third = second] = f.simulated ? f.instances.map((seed) => seed.instanceId) : [];
  const sink = `${f.url}/callbacks`;
  const json = (value: unknown) => `'${JSON.stringify(value)}'`;
  const [team, otherTeam] = FLEET_TEAMS;
  const lines = [
    'Smart Connect enabler: local stack (the built functions from dist/; run npm run build after a change)',
    `  HTTP API    POST ${f.url}/v2/{project_id}/instances/{instance_id}/connector (enable)`,
    `              GET  ${f.url}/v2/{project_id}/instances/{instance_id}/connector[?region=R] (status)`,
    `  queue       POST ${f.url}/queue (body: one message body; ?delay_seconds=N)   GET ${f.url}/queue (pending, in flight, dead letters)`,
    `  schedule    POST ${f.url}/schedule (body: {"targets": [...]}, or nothing for SCHEDULE_TARGETS)`,
    `              ${f.scheduleIntervalSeconds ? `tick every ${f.scheduleIntervalSeconds} s with SCHEDULE_TARGETS` : 'no tick (set SCHEDULE_TARGETS for one every SCHEDULE_INTERVAL_SECONDS, default 60)'}`,
    `  callbacks   POST ${sink} (verified with standardwebhooks)   GET ${sink} (what arrived)`,
    f.simulated
      ? `  DMS         ${f.dmsEndpoint} (simulator; enable jobs take ${f.jobSeconds} s; AK ${LOCAL_KEY.ak})`
      : `  DMS         ${f.dmsEndpoint} (HUAWEICLOUD_DMS_ENDPOINT, with the credentials from the environment)`,
    `  region      ${f.region}`,
    ...(f.simulated
      ? [
          `  project     ${f.projectId}`,
          ...seedLines('instances', f.instances),
          ...seedLines('fleet', f.fleet),
          ...accountLines(f.accountProjects, f.projectId),
        ]
      : []),
    `  secret      ${
      f.secret.origin === 'environment'
        ? 'CALLBACK_SECRET from the environment'
        : `generated for this session (set CALLBACK_SECRET to choose one): ${f.secret.value}`
    }`,
    `  callback    ${f.callbackUrl}${f.callbackUrlFromEnv ? ' (CALLBACK_URL from the environment)' : ' (the default for requests without callback_url)'}`,
    `  allowed     ${f.allowedHosts}${f.allowedFromEnv ? ' (CALLBACK_ALLOWED_HOSTS from the environment)' : ' (callbacks to any port on these hosts, plain http allowed)'}`,
    '',
    'Try:',
    '  # enable over HTTP: 202 accepted, then 200 already_enabled when asked again',
    `  curl -sS -X POST ${f.url}/v2/${project}/instances/${first}/connector -H 'content-type: application/json' -d ${json({ callback_url: sink })}`,
    '  # the same through the queue: 202 {message_id}, the result arrives as a callback',
    `  curl -sS -X POST ${f.url}/queue -d ${json({ project_id: project, instance_id: second, callback_url: sink })}`,
    '  # run the schedule function now',
    `  curl -sS -X POST ${f.url}/schedule -d ${json({ targets: [{ project_id: project, instance_id: third }] })}`,
    '  # status over HTTP: the Status object (state, connector_id, instance_status, pay_per_use)',
    `  curl -sS '${f.url}/v2/${project}/instances/${first}/connector?region=${f.region}'`,
    `  # a fleet run as a dry run: what would happen to every team=${team} instance (nothing is enabled; the summary is the answer, and is sent to the callback too)`,
    `  curl -sS -X POST ${f.url}/schedule -d ${json({ targets: [{ project_id: project, select: { tags: { team } }, dry_run: true }] })}`,
    '  # the same for real: the instances to enable fan out through the queue, the summary is the answer',
    `  curl -sS -X POST ${f.url}/schedule -d ${json({ targets: [{ project_id: project, select: { tags: { team } } }] })}`,
    `  # a fleet run through the queue (team=${otherTeam}): its summary arrives as a reconcile.completed callback`,
    `  curl -sS -X POST ${f.url}/queue -d ${json({ project_id: project, select: { tags: { team: otherTeam } } })}`,
    `  # every project of the account (IAM lists them: regions, a sub-project), team=${team}, as a dry run on the command line: the Account summary`,
    `  ${f.simulated ? `${cliEnvironment(f)} ` : ''}node dist/cli/index.mjs reconcile --all-projects --tag team=${team} --dry-run`,
    '  # the same for real through the schedule: each instance to enable fans out through the queue, naming its own project and region',
    `  curl -sS -X POST ${f.url}/schedule -d ${json({ targets: [{ projects: 'all', select: { tags: { team } } }] })}`,
    '  # list the callbacks received (accepted now, succeeded once the job has ended)',
    `  curl -sS ${sink}`,
    '',
    'Ctrl-C stops the stack.',
  ];
  return lines.join('\n');
}

// The command line's environment against the stack's simulator (its fixed local key pair, not a secret).
function cliEnvironment(f: BannerFacts): string {
  const endpoint = f.dmsEndpoint;
  return `HUAWEICLOUD_REGION=${f.region} HUAWEICLOUD_DMS_ENDPOINT=${endpoint} HUAWEICLOUD_SDK_IAM_ENDPOINT=${endpoint} HUAWEICLOUD_SDK_AK=${LOCAL_KEY.ak} HUAWEICLOUD_SDK_SK=${LOCAL_KEY.sk}`;
}

// The account as IAM lists it: each project's name and id, and whether an account-wide run covers it
// (the reason it is skipped, as the run's summary gives it).
function accountLines(projects: BannerFacts['accountProjects'], home: string): string[] {
  const listed = projects.map(({ id, name, enabled }) => ({ id, name, enabled: enabled ?? true }));
  const { skipped } = classifyProjects(listed);
  const width = Math.max(0, ...listed.map((project) => project.name.length));
  return listed.map(({ id, name }, index) => {
    const reason = skipped.find((project) => project.project_id === id)?.reason;
    const note = reason ? `skipped (${reason})` : id === home ? 'covered (this project)' : 'covered';
    return `  ${(index === 0 ? 'account' : '').padEnd(11)} ${name.padEnd(width)}  ${id}  ${note}`;
  });
}

// One line each, in columns: id, name, tags and (for the fleet) the state it was seeded in.
function seedLines(label: string, seeds: readonly (InstanceSeed & { kind?: string })[]): string[] {
  const rows = seeds.map((seed) => [
    seed.instanceId,
    seed.name ?? '',
    Object.entries(seed.tags ?? {})
      .map(([key, value]) => `${key}=${value}`)
      .join(','),
    seed.kind ?? '',
  ]);
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  return rows.map(
    (row, i) =>
      `  ${(i === 0 ? label : '').padEnd(11)} ${row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd()}`,
  );
}
