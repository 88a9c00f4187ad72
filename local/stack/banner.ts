// The local stack's start-up text: its routes and URLs, the DMS it talks to, the ids to try (the
// seeded fleet too), where the callback secret came from (a generated one is printed: it is the
// session's own), and ready-to-paste curl commands.
import type { FleetSeed, InstanceSeed } from '../simulator/index.ts';
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
    ...(f.simulated ? [`  project     ${f.projectId}`, ...seedLines('instances', f.instances), ...seedLines('fleet', f.fleet)] : []),
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
    '  # list the callbacks received (accepted now, succeeded once the job has ended)',
    `  curl -sS ${sink}`,
    '',
    'Ctrl-C stops the stack.',
  ];
  return lines.join('\n');
}

// One line each, in columns: id, name, tags and (for the fleet) the state it was seeded in.
function seedLines(label: string, seeds: readonly (InstanceSeed & { kind?: string })[]): string[] {
  const rows = seeds.map((seed) => [seed.instanceId, seed.name ?? '', Object.entries(seed.tags ?? {}).map(([key, value]) => `${key}=${value}`).join(','), seed.kind ?? '']);
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  return rows.map((row, i) => `  ${(i === 0 ? label : '').padEnd(11)} ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()}`);
}
