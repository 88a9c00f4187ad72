// The command line against hostile input and hostile answers (issue 14, item 8), the built
// dist/cli/index.mjs against the DMS simulator on loopback. A flag that takes one value, given twice,
// is a usage error naming it (exit 2, nothing sent, before the configuration is read: --tag alone
// may repeat). Text that reaches a terminal (Huawei's error_msg on stderr, the user's own text
// echoed back) has its control characters escaped, so nothing forges a line or drives the terminal;
// the JSON on stdout stays as JSON.stringify writes it.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltCli, type RunCli } from '../../local/hosting/index.ts';
import { PROJECT, useSimulator } from '../support/fixtures.ts';

const fx = useSimulator();
let cli: RunCli;

beforeAll(async () => {
  cli = await loadBuiltCli();
});

async function run(args: readonly string[], env: Record<string, string> = fx.env()) {
  let stdout = '';
  let stderr = '';
  const code = await cli(args, { env, stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
  return { code, stdout, stderr };
}

// What a terminal must never be handed raw: C0 (ESC, BEL, line breaks...), DEL, C1 (CSI, OSC...).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters a terminal must never get
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
// ANSI colour, an OSC window title ended by BEL, a forged line, a C1 CSI clear-screen, DEL.
const HOSTILE = '\u001b[31mred\u001b[0m \u001b]0;owned\u0007 done\nsmart-connect: all instances enabled\r\u009b2J\u007f';

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('a flag given twice', () => {
  it.each<[string, string[]]>([
    ['enable --instance-id A --instance-id B', ['enable', '--project-id', PROJECT, '--instance-id', 'a', '--instance-id', 'b']],
    ['enable --instance-id=A --instance-id B (either spelling)', ['enable', '--project-id', PROJECT, '--instance-id=a', '--instance-id', 'b']],
    ['status --region twice', ['status', '--project-id', PROJECT, '--instance-id', 'a', '--region', 'cn-north-4', '--region', 'eu-west-101']],
    ['reconcile --name-prefix narrow then wide', ['reconcile', '--project-id', PROJECT, '--name-prefix', 'orders-prod-', '--name-prefix', 'o']],
    ['reconcile --dry-run twice', ['reconcile', '--project-id', PROJECT, '--dry-run', '--dry-run']],
  ])('%s: exit 2 naming the flag, nothing sent', async (_name, args) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    const flag = args.find((arg, i) => arg.startsWith('--') && args.slice(i + 1).some((later) => later.split('=')[0] === arg.split('=')[0]))?.split('=')[0];
    expect(lines(result.stderr)[0]).toBe(`${flag} is given more than once: it takes one value (only --tag may be repeated)`);
    expect(result.stdout).toBe('');
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('is refused before the configuration is read (no environment at all: still exit 2, naming the flag)', async () => {
    const result = await run(['enable', '--project-id', PROJECT, '--instance-id', 'a', '--instance-id', 'b'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--instance-id is given more than once');
    expect(result.stderr).not.toContain('configuration');
  });

  it('--tag stays repeatable', async () => {
    const result = await run(['reconcile', '--project-id', PROJECT, '--tag', 'team=data', '--tag', 'env=*', '--dry-run']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ dry_run: true });
  });
});

describe("Huawei's error_msg and the user's text on a terminal", () => {
  const refuse = (method: string, path: string, status = 400) =>
    fx.sim.inject({ method, path, fault: { kind: 'status', status, body: { error_code: 'DMS.00400000', error_msg: HOSTILE } }, times: 20 });

  it('status: one stderr line, control characters escaped', async () => {
    const instanceId = fx.instance();
    refuse('GET', instanceId, 404);
    const result = await run(['status', '--project-id', PROJECT, '--instance-id', instanceId]);
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr.slice(0, -1)).not.toMatch(CONTROL);
    expect(result.stderr).toContain(
      'DMS.00400000: \\u001b[31mred\\u001b[0m \\u001b]0;owned\\u0007 done\\nsmart-connect: all instances enabled\\r\\u009b2J\\u007f',
    );
  });

  it('enable: the failure line is escaped, and stdout is still the JSON document with the text as it was', async () => {
    const instanceId = fx.instance();
    refuse('POST', instanceId);
    refuse('GET', instanceId);
    const result = await run(['enable', '--project-id', PROJECT, '--instance-id', instanceId]);
    expect(result.code).toBe(1);
    expect(result.stderr.slice(0, -1)).not.toMatch(CONTROL);
    expect(result.stderr).toContain('\\u001b]0;owned\\u0007');
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'failed', error: { code: 'DMS.00400000', message: HOSTILE } });
  });

  it('reconcile: a listing refused with hostile text is escaped on stderr', async () => {
    refuse('GET', '/instances');
    const result = await run(['reconcile', '--project-id', PROJECT, '--dry-run']);
    expect(result.code).toBe(1);
    expect(result.stderr.slice(0, -1)).not.toMatch(CONTROL);
    expect(lines(result.stderr).some((line) => line.includes('\\u001b[31mred'))).toBe(true);
  });

  it('--verbose log lines on stderr stay JSON with no raw control character (DEL and C1 included)', async () => {
    const instanceId = fx.instance();
    refuse('GET', instanceId, 404);
    const result = await run(['status', '--project-id', PROJECT, '--instance-id', instanceId, '--verbose']);
    const logLines = lines(result.stderr).filter((line) => line.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) {
      expect(line).not.toMatch(CONTROL);
      expect(() => JSON.parse(line)).not.toThrow();
    }
    expect(result.stderr).not.toMatch(/[\u007f-\u009f]/);
  });

  it('an unknown command echoes the user text escaped and cut short, then the usage', async () => {
    const result = await run([`enab\u001b]0;owned\u0007le\nforged line${'x'.repeat(5_000)}`]);
    expect(result.code).toBe(2);
    const [first] = lines(result.stderr);
    expect(first).toMatch(/^unknown command enab\\u001b\]0;owned\\u0007le\\nforged linex+…$/);
    expect(first!.length).toBeLessThan(200);
    expect(result.stderr).not.toMatch(CONTROL);
    expect(result.stderr).toContain('usage: smart-connect enable');
  });

  it('an unknown flag is named escaped and cut short', async () => {
    const result = await run(['status', `--\u001b[2Jwipe\n${'y'.repeat(5_000)}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(CONTROL);
    expect(result.stderr).toContain('\\u001b[2Jwipe\\n');
    expect(result.stderr.length).toBeLessThan(2_000);
  });
});
