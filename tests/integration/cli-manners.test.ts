// The command line with manners (issue 17), the built dist/cli/index.mjs run in this process
// against the DMS simulator on loopback: help (the overview, each command's flags, the environment
// it reads and an example that works as printed), --version from package.json, "did you mean" for a
// mistyped command, flag or value, usage errors found before the configuration is read (exit 2,
// naming the flag), --output table for people, and a reconcile's progress on stderr only when it is
// a terminal.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltCli, type RunCli } from '../../local/hosting/index.ts';
import { mixedFleet } from '../../local/simulator/index.ts';
import { PROJECT, useSimulator } from '../support/fixtures.ts';
import { newProjectId } from '../support/fleet.ts';

const fx = useSimulator();
let cli: RunCli;

beforeAll(async () => {
  cli = await loadBuiltCli();
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(args: readonly string[], env: Record<string, string> = fx.env(), options: { stderrIsTTY?: boolean } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await cli(args, { env, stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), ...options });
  return { code, stdout, stderr };
}

const lines = (text: string) => text.split('\n').filter(Boolean);
// What a terminal must never be handed: C0 but the line feed, DEL, C1 (colour and cursor sequences start with ESC or CSI).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters a terminal must never get
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

// The contract's flags (DESIGN.md, "Command line"), and what every command takes.
const COMMAND_FLAGS: Record<string, string[]> = {
  enable: ['project-id', 'instance-id', 'region', 'node-cnt', 'specification', 'spec-code', 'callback-url'],
  status: ['project-id', 'instance-id', 'region'],
  reconcile: ['project-id', 'region', 'tag', 'name-prefix', 'enterprise-project-id', 'node-cnt', 'callback-url', 'dry-run'],
};
const COMMON_FLAGS = ['output', 'verbose', 'help', 'version'];
// What each command reads besides the credentials and the region, and what it does not.
const ENVIRONMENT: Record<string, { reads: string[]; not: string[] }> = {
  enable: { reads: ['CALLBACK_URL', 'CALLBACK_SECRET', 'CALLBACK_ALLOWED_HOSTS', 'TRACKING_QUEUE_URL'], not: ['ENABLE_QUEUE_URL'] },
  status: { reads: [], not: ['CALLBACK_URL', 'CALLBACK_SECRET', 'ENABLE_QUEUE_URL'] },
  reconcile: { reads: ['CALLBACK_URL', 'CALLBACK_SECRET', 'ENABLE_QUEUE_URL'], not: ['TRACKING_QUEUE_URL'] },
};

/** The lines of one section of a help page ("flags:", "environment:", "example:"). */
function section(page: string, title: string): string[] {
  const all = page.split('\n');
  const start = all.indexOf(title);
  if (start < 0) return [];
  const end = all.findIndex((line, i) => i > start && line === '');
  return all.slice(start + 1, end < 0 ? undefined : end);
}

/** A command line as a shell splits it (words, 'quoted words'). */
const words = (line: string) => (line.match(/'[^']*'|\S+/g) ?? []).map((word) => word.replace(/^'(.*)'$/, '$1'));

describe('help', () => {
  it('help, --help and -h print the overview on stdout: every command and the flags all take; exit 0', async () => {
    const runs = [await run(['help'], {}), await run(['--help'], {}), await run(['-h'], {})];
    for (const result of runs) {
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toBe(runs[0]?.stdout);
    }
    const overview = runs[0]?.stdout ?? '';
    for (const command of [...Object.keys(COMMAND_FLAGS), 'help']) expect(overview).toMatch(new RegExp(`^ {2}${command}\\b.* \\S+`, 'm'));
    for (const flag of COMMON_FLAGS) expect(overview).toMatch(new RegExp(`^ {2}(-h, )?--${flag}\\b.* \\S+`, 'm'));
    for (const command of Object.keys(COMMAND_FLAGS)) expect(overview).toContain(`smart-connect ${command} `);
    expect(overview).not.toMatch(CONTROL);
  });

  it.each(Object.keys(COMMAND_FLAGS))('%s --help (and help <command>): every flag with a meaning, the environment it reads, an example', async (command) => {
    const page = await run([command, '--help'], {});
    expect(page).toMatchObject({ code: 0, stderr: '' });
    expect((await run(['help', command], {})).stdout).toBe(page.stdout);
    expect(page.stdout).toMatch(new RegExp(`^usage: smart-connect ${command} `, 'm'));

    const flags = section(page.stdout, 'flags:');
    for (const flag of [...(COMMAND_FLAGS[command] ?? []), ...COMMON_FLAGS]) {
      // One line each: the flag, then what it means.
      expect(
        flags.filter((line) => new RegExp(`^ {2}(-h, )?--${flag}\\b.* {2}\\S.{8,}$`).test(line)),
        flag,
      ).toHaveLength(1);
    }
    // Any other flag too: a meaning each, and (but --help and --version) named in the usage line.
    const usage = page.stdout.split('\n').find((line) => line.startsWith('usage: ')) ?? '';
    for (const line of flags) {
      expect(line).toMatch(/^ {2}(-h, )?--[a-z-]+\b.* {2}\S.{8,}$/);
      const flag = /--[a-z-]+/.exec(line)?.[0] ?? '';
      if (!['--help', '--version'].includes(flag)) expect(usage).toMatch(new RegExp(`${flag}[ \\]]`));
    }

    const environment = section(page.stdout, 'environment:').join('\n');
    for (const name of ['HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK', 'HUAWEICLOUD_REGION', 'HUAWEICLOUD_DMS_ENDPOINT', ...(ENVIRONMENT[command]?.reads ?? [])]) {
      expect(environment).toMatch(new RegExp(`^ {2}(\\S+, )?${name}\\b.* {2}\\S`, 'm'));
    }
    for (const name of ENVIRONMENT[command]?.not ?? []) expect(environment).not.toContain(name);

    const [example] = section(page.stdout, 'example:');
    expect(example).toMatch(new RegExp(`^ {2}smart-connect ${command} `));
    // The example works as printed: its instance (if it names one) in its project, in the simulator.
    const args = words(example ?? '').slice(1);
    const instanceId = args[args.indexOf('--instance-id') + 1];
    if (args.includes('--instance-id') && instanceId && !fx.sim.instance(instanceId)) fx.instance({ instanceId });
    const ran = await run(args);
    expect(ran, ran.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(ran.stdout).not.toBe('');
  });

  it('--version prints smart-connect and the version in package.json, also after a command; exit 0', async () => {
    expect(await run(['--version'], {})).toEqual({ code: 0, stdout: `smart-connect ${VERSION}\n`, stderr: '' });
    expect(await run(['status', '--version'], {})).toEqual({ code: 0, stdout: `smart-connect ${VERSION}\n`, stderr: '' });
  });
});

describe('did you mean', () => {
  it.each<[string, string[], string]>([
    ['a swapped pair in a command', ['enabel'], 'unknown command enabel (did you mean enable?)'],
    ['a letter left out of a command', ['reconcle', '--dry-run'], 'unknown command reconcle (did you mean reconcile?)'],
    ['a command asked help for', ['help', 'stauts'], 'unknown command stauts (did you mean status?)'],
    ['a letter left out of a flag', ['enable', '--instance-i', 'x'], 'unknown flag --instance-i for enable (did you mean --instance-id?)'],
    ['a dash left out of a flag', ['reconcile', '--dryrun'], 'unknown flag --dryrun for reconcile (did you mean --dry-run?)'],
    ['a mistyped value', ['status', '--instance-id', 'x', '--output', 'tabel'], '--output must be json or table, not tabel (did you mean table?)'],
  ])('%s: exit 2, the guess named, before the configuration is read', async (_name, args, first) => {
    const result = await run(args, {});
    expect(result.code).toBe(2);
    expect(lines(result.stderr)[0]).toBe(first);
    expect(result.stdout).toBe('');
  });

  it('guesses nothing far-fetched', async () => {
    for (const args of [['frobnicate'], ['enable', '--zzzzzz', 'x'], ['status', '--output', 'yaml']]) {
      const result = await run(args, {});
      expect(result.code).toBe(2);
      expect(result.stderr).not.toContain('did you mean');
    }
  });
});

describe('usage errors come before the configuration', () => {
  it.each<[string, string[], RegExp]>([
    ['enable without --instance-id', ['enable', '--project-id', PROJECT], /^--instance-id I is required/],
    ['status without any flag', ['status'], /^--instance-id I is required/],
    ['a stray argument', ['enable', '--instance-id', 'x', 'stray'], /^unexpected argument stray\b/],
    ['a flag without its value', ['status', '--instance-id'], /--instance-id\b.*missing/],
    ['a switch given a value', ['reconcile', '--dry-run=yes'], /--dry-run\b.*does not take/],
    ['no command', [], /^a command is needed/],
    ['a flag before the command', ['--verbose', 'status'], /^a command comes first/],
  ])('%s: exit 2 naming it, with nothing configured', async (_name, args, first) => {
    const result = await run(args, {});
    expect(result.code).toBe(2);
    expect(lines(result.stderr)[0]).toMatch(first);
    expect(result.stderr).toMatch(/^usage: smart-connect /m);
    expect(result.stderr).not.toMatch(/configuration|HUAWEICLOUD_/);
    expect(result.stdout).toBe('');
  });

  it('--project-id may be left out: enable with --instance-id alone passes to the configuration', async () => {
    const result = await run(['enable', '--instance-id', fx.instance()], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^configuration: HUAWEICLOUD_REGION/);
  });

  it('nothing reaches the simulator for a usage error, configured or not', async () => {
    for (const args of [
      ['enable', '--project-id', PROJECT],
      ['enable', '--project-id', PROJECT, '--instance-id', fx.instance(), 'stray'],
    ]) {
      expect((await run(args)).code).toBe(2);
    }
    expect(fx.sim.requests).toEqual([]);
  });
});

describe('--output table', () => {
  it('status: json is the default and unchanged; table is a row for the instance with its state, the count below', async () => {
    const instanceId = fx.instance({ connectorEnabled: true });
    const json = await run(['status', '--project-id', PROJECT, '--instance-id', instanceId]);
    expect(await run(['status', '--project-id', PROJECT, '--instance-id', instanceId, '--output', 'json'])).toEqual(json);
    const status = JSON.parse(json.stdout) as { state: string; connector_id: string; instance_status: string };

    const table = await run(['status', '--project-id', PROJECT, '--instance-id', instanceId, '--output', 'table']);
    expect(table).toMatchObject({ code: 0, stderr: '' });
    const [header, row, blank, note, ...rest] = table.stdout.split('\n');
    expect(header).toMatch(/^INSTANCE +STATE +CONNECTOR +INSTANCE STATUS +PAY PER USE$/);
    expect(row?.split(/ {2,}/)).toEqual([instanceId, status.state, status.connector_id, status.instance_status, 'yes']);
    expect([blank, note, rest]).toEqual(['', `1 ${status.state}`, ['']]);
  });

  it('enable: a row with the outcome and the job, the count below', async () => {
    const instanceId = fx.instance();
    const table = await run(['enable', '--project-id', PROJECT, '--instance-id', instanceId, '--output', 'table']);
    expect(table.code).toBe(0);
    const jobId = fx.sim.instance(instanceId)?.pendingJob?.jobId ?? 'no job started';
    const [header, row, , note] = table.stdout.split('\n');
    expect(header).toMatch(/^INSTANCE +STATUS +JOB +CONNECTOR$/);
    expect(row?.split(/ {2,}/).slice(0, 3)).toEqual([instanceId, 'accepted', jobId]);
    expect(note).toBe('1 accepted');
  });

  it('reconcile: one row per instance, the counts below (only outcomes that occurred), cells bounded, no control characters', async () => {
    const project = newProjectId();
    const seeds = mixedFleet({ projectId: project, count: 10 });
    for (const seed of seeds) fx.sim.addInstance(seed);
    const hostile = fx.instance({ projectId: project, name: `\u001b[31m\u009b2J${'n'.repeat(500)}\nforged row` });

    const json = JSON.parse((await run(['reconcile', '--project-id', project, '--dry-run'])).stdout) as { matched: number; counts: Record<string, number> };
    const table = await run(['reconcile', '--project-id', project, '--dry-run', '--output', 'table']);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(CONTROL);
    const [header, ...after] = table.stdout.split('\n');
    expect(header).toMatch(/^INSTANCE +NAME +OUTCOME +CONNECTOR +INSTANCE STATUS$/);
    const rows = after.slice(0, after.indexOf(''));
    expect(rows).toHaveLength(json.matched);
    for (const id of [...seeds.map((seed) => seed.instanceId), hostile])
      expect(
        rows.filter((row) => row.startsWith(`${id} `)),
        id,
      ).toHaveLength(1);
    for (const row of rows) expect(row.length).toBeLessThan(250);
    expect(rows.find((row) => row.startsWith(hostile))).toMatch(/\\u001b\[31m\\u009b2Jn+… /);

    const note = after[rows.length + 1] ?? '';
    expect(note).toMatch(new RegExp(`^${json.matched} matched \\(dry run\\) in ${project} \\(cn-north-4\\): `));
    const listed = note.slice(note.indexOf('): ') + 3).split(', ');
    expect(listed.sort()).toEqual(
      Object.entries(json.counts)
        .map(([outcome, n]) => `${n} ${outcome}`)
        .sort(),
    );
    expect(note).not.toMatch(/\b0 /);
  });
});

describe('reconcile progress on stderr', () => {
  async function fleet(count: number) {
    const project = newProjectId();
    const seeds = mixedFleet({ projectId: project, count });
    for (const seed of seeds) fx.sim.addInstance(seed);
    return { project, toEnable: seeds.filter((seed) => seed.kind === 'to_enable').length, count };
  }

  it('on a terminal: one line rewritten in place up to every instance enabled; stdout is still the one JSON document', async () => {
    const { project, toEnable, count } = await fleet(10);
    const result = await run(['reconcile', '--project-id', project], fx.env(), { stderrIsTTY: true });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ project_id: project, matched: count });
    expect(result.stdout).not.toContain('reconcile:');
    const shown = result.stderr.split('\r').filter(Boolean);
    expect(shown[0]?.trim()).toBe('reconcile: listing the Kafka instances…');
    expect(shown.at(-1)).toMatch(new RegExp(`^reconcile: ${count} listed, ${count} matched, ${toEnable} to enable, ${toEnable} done *\\n$`));
    // Each instance enabled moves it on by one.
    for (let done = 0; done <= toEnable; done += 1)
      expect(
        shown.some((text) => text.includes(`${toEnable} to enable, ${done} done`)),
        `${done} done`,
      ).toBe(true);
    // The carriage return is the only control character besides line feeds: no colour, no cursor sequence.
    expect(result.stderr.replaceAll('\r', '')).not.toMatch(CONTROL);
  });

  it('a dry run on a terminal says what it plans; --output table keeps stdout free of it too', async () => {
    const { project, toEnable, count } = await fleet(5);
    const result = await run(['reconcile', '--project-id', project, '--dry-run', '--output', 'table'], fx.env(), { stderrIsTTY: true });
    expect(result.code).toBe(0);
    expect(result.stderr.split('\r').filter(Boolean).at(-1)).toMatch(new RegExp(`^reconcile: ${count} listed, ${count} matched, ${toEnable} to enable *\\n$`));
    expect(result.stdout).not.toContain('reconcile:');
    expect(result.stdout).not.toContain('\r');
  });

  it('piped (stderr not a terminal): no progress at all', async () => {
    const { project } = await fleet(5);
    for (const options of [{}, { stderrIsTTY: false }]) {
      const result = await run(['reconcile', '--project-id', project], fx.env(), options);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
    }
  });
});
