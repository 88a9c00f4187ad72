// serverless.yml, packaged for real: `serverless package` (osls, the devDependency) turns it into the
// CloudFormation template and the three zips a deploy would upload. Everything below is read from
// those files, so what is asserted is what AWS would receive.
//
// Offline by construction: dummy credentials, no profile or config files, telemetry and notifications
// off, and every AWS SDK endpoint and HTTP(S) proxy pointed at a closed local port, so an attempt to
// reach the network fails the packaging instead of waiting on it. Needs the bundles of `npm run build`
// (npm test builds first).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZip } from '../support/zip.ts';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const SERVERLESS = join(ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');
const SERVICE = 'smart-connect-enabler';
const STAGE = 'test';
const REGION = 'us-east-1'; // the default deployment region
const FUNCTIONS = ['http', 'queue', 'schedule'] as const;
type FunctionKey = (typeof FUNCTIONS)[number];
const TIMEOUTS: Record<FunctionKey, number> = { http: 29, queue: 120, schedule: 300 };
const ROUTE = 'POST /v2/{project_id}/instances/{instance_id}/connector';
const SECRET_NAME = `${SERVICE}/${STAGE}/huawei-credentials`; // the default of huaweiCredentialsSecret
const DEAD_PORT = 'http://127.0.0.1:9'; // discard port: nothing listens, connections are refused at once

// CloudFormation is loosely typed JSON; the assertions below give it its shape.
type Json = any;
interface Resource {
  readonly Type: string;
  readonly Properties: Json;
  readonly DependsOn?: string | string[];
}
interface Template {
  readonly Resources: Record<string, Resource>;
  readonly Outputs: Record<string, { Value: Json }>;
  readonly Conditions?: Record<string, Json>;
}

/** Only what osls needs to run, plus settings that keep it (and any AWS SDK call) off the network. */
function offlineEnv(scratch: string): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'USERPROFILE', 'TMPDIR', 'TEMP', 'TMP', 'SYSTEMROOT', 'LANG'];
  const env: NodeJS.ProcessEnv = Object.fromEntries(keep.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]));
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_CONFIG_FILE: join(scratch, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: DEAD_PORT,
    AWS_MAX_ATTEMPTS: '1',
    SLS_AWS_REQUEST_MAX_RETRIES: '0',
    HTTP_PROXY: DEAD_PORT,
    HTTPS_PROXY: DEAD_PORT,
    http_proxy: DEAD_PORT,
    https_proxy: DEAD_PORT,
    NO_PROXY: '',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_TRACKING_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    SLS_SCHEMA_CACHE_BASE_DIR: scratch,
    CI: '1',
    NO_COLOR: '1',
  };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** Evaluates the few intrinsic functions used here; pseudo parameters stay as ${AWS::...}. */
function evaluate(node: Json, conditions: Record<string, Json>): Json {
  if (typeof node !== 'object' || node === null) return node;
  if (Array.isArray(node)) return node.map((item) => evaluate(item, conditions));
  const [fn, args] = Object.entries(node)[0] ?? [];
  switch (fn) {
    case 'Fn::Sub': {
      const [text, vars] = typeof args === 'string' ? [args, {}] : (args as [string, Record<string, Json>]);
      return text.replace(/\$\{([^}!]+)\}/g, (whole, name: string) => (name in vars ? String(evaluate(vars[name], conditions)) : whole));
    }
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = args as [string, Json, Json];
      return evaluate(evaluate(conditions[condition], conditions) ? whenTrue : whenFalse, conditions);
    }
    case 'Fn::Equals': {
      const [a, b] = evaluate(args, conditions) as [Json, Json];
      return a === b;
    }
    case 'Fn::Select': {
      const [index, list] = evaluate(args, conditions) as [number, Json[]];
      return list[Number(index)];
    }
    case 'Fn::Split': {
      const [delimiter, text] = evaluate(args, conditions) as [string, string];
      return text.split(delimiter);
    }
    default:
      return node;
  }
}

/** Replaces a string wherever it appears, as a whole or inside a longer string. */
function substitute(node: Json, from: string, to: string): Json {
  if (typeof node === 'string') return node.split(from).join(to);
  if (Array.isArray(node)) return node.map((item) => substitute(item, from, to));
  if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, substitute(value, from, to)]));
  return node;
}

let scratch = '';
let out = '';
let template: Template;

beforeAll(async () => {
  const missing = FUNCTIONS.filter((fn) => !existsSync(join(ROOT, 'dist', fn, 'index.mjs')));
  if (missing.length > 0) {
    throw new Error(
      `${missing.map((fn) => `dist/${fn}/index.mjs`).join(', ')} missing: run \`npm run build\` first ` +
        '(`npm test` does); serverless.yml packages the prebuilt bundles and builds nothing itself',
    );
  }
  scratch = await mkdtemp(join(tmpdir(), 'sls-package-'));
  out = join(scratch, 'package');
  try {
    await promisify(execFile)(process.execPath, [SERVERLESS, 'package', '--stage', STAGE, '--package', out], {
      cwd: ROOT,
      env: offlineEnv(scratch),
      timeout: 110_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`serverless package failed: ${message}\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
  template = JSON.parse(await readFile(join(out, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
}, 120_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function resourcesOfType(type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

function resource(logicalId: string, type: string): Resource {
  const found = template.Resources[logicalId];
  expect(found, `resource ${logicalId}`).toBeDefined();
  expect(found?.Type).toBe(type);
  return found as Resource;
}

function lambda(fn: FunctionKey): [string, Resource] {
  const found = resourcesOfType('AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === `${SERVICE}-${STAGE}-${fn}`);
  expect(found, `the ${fn} function`).toBeDefined();
  return found as [string, Resource];
}

describe('serverless package', () => {
  describe('functions', () => {
    it('are exactly http, queue and schedule', () => {
      const names = resourcesOfType('AWS::Lambda::Function').map(([, r]) => r.Properties.FunctionName as string);
      expect(names.sort()).toEqual(FUNCTIONS.map((fn) => `${SERVICE}-${STAGE}-${fn}`).sort());
    });

    it.each(FUNCTIONS)('%s: Node.js 22 on arm64, the prebuilt handler, its timeout', (fn) => {
      const [, { Properties: p }] = lambda(fn);
      expect(p.Runtime).toBe('nodejs22.x');
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.Handler).toBe(`dist/${fn}/index.handler`);
      expect(p.Timeout).toBe(TIMEOUTS[fn]);
      expect(p.Code.S3Key).toMatch(new RegExp(`/${fn}\\.zip$`));
    });

    it.each(FUNCTIONS)('%s: the Arm64 Parameters and Secrets extension for the deployment region', (fn) => {
      const [, { Properties: p }] = lambda(fn);
      expect(p.Layers).toHaveLength(1);
      expect(p.Layers[0]).toMatch(new RegExp(`^arn:aws:lambda:${REGION}:\\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:\\d+$`));
    });

    it.each(FUNCTIONS)('%s: the environment of the contract, no secret in it, tracking on the enable queue', (fn) => {
      const [, { Properties: p }] = lambda(fn);
      const variables = p.Environment.Variables as Record<string, unknown>;
      expect(variables).toEqual({
        HUAWEICLOUD_REGION: 'cn-north-4',
        HUAWEICLOUD_CREDENTIALS_SECRET: SECRET_NAME,
        CALLBACK_URL: '',
        CALLBACK_SECRET: '',
        CALLBACK_ALLOWED_HOSTS: '',
        NODE_OPTIONS: '--enable-source-maps',
        PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'true',
        SECRETS_MANAGER_TTL: '300',
        TRACKING_QUEUE_URL: { Ref: 'EnableQueue' },
        JOB_TIMEOUT_MINUTES: '50',
      });
    });

    it.each(FUNCTIONS)('%s: its own log group with a retention', (fn) => {
      const [, fnResource] = lambda(fn);
      const groups = resourcesOfType('AWS::Logs::LogGroup').filter(([, r]) => r.Properties.LogGroupName === `/aws/lambda/${SERVICE}-${STAGE}-${fn}`);
      expect(groups).toHaveLength(1);
      const [[logicalId, group]] = groups as [[string, Resource]];
      expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
      expect([fnResource.DependsOn].flat()).toContain(logicalId);
    });
  });

  describe('artefacts', () => {
    it.each(FUNCTIONS)('%s.zip holds exactly the prebuilt dist/<fn> files, unchanged', async (fn) => {
      const zip = readZip(await readFile(join(out, `${fn}.zip`)));
      const files = zip.filter((entry) => !entry.directory);
      const expected = await filesUnder(join(ROOT, 'dist', fn));
      expect(expected).toContain(`dist/${fn}/index.mjs`);
      expect(files.map((entry) => entry.name).sort()).toEqual(expected);
      for (const entry of files) {
        expect(entry.content().equals(await readFile(join(ROOT, entry.name))), entry.name).toBe(true);
      }
    });
  });

  describe('HTTP API', () => {
    it(`routes ${ROUTE} to the http function, IAM-authorised, payload 2.0`, () => {
      const routes = resourcesOfType('AWS::ApiGatewayV2::Route');
      expect(routes).toHaveLength(1);
      const [[, route]] = routes as [[string, Resource]];
      expect(route.Properties.RouteKey).toBe(ROUTE);
      expect(route.Properties.AuthorizationType).toBe('AWS_IAM');
      expect(route.Properties.AuthorizerId).toBeUndefined();

      const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref as string;
      const integration = resource(integrationId, 'AWS::ApiGatewayV2::Integration');
      const [httpId] = lambda('http');
      expect(integration.Properties.IntegrationUri).toEqual({ 'Fn::GetAtt': [httpId, 'Arn'] });
      expect(integration.Properties.PayloadFormatVersion).toBe('2.0');
    });

    it('has its URL among the outputs', () => {
      expect(template.Outputs.HttpApiUrl?.Value).toBeDefined();
      expect(JSON.stringify(template.Outputs.HttpApiUrl?.Value)).toContain('"Ref":"HttpApi"');
    });
  });

  describe('queue', () => {
    it('feeds the queue function in batches of 10 with partial batch failures and bounded concurrency', () => {
      const mappings = resourcesOfType('AWS::Lambda::EventSourceMapping');
      expect(mappings).toHaveLength(1);
      const [[, { Properties: p }]] = mappings as [[string, Resource]];
      const [queueFnId] = lambda('queue');
      expect(p.FunctionName).toEqual({ 'Fn::GetAtt': [queueFnId, 'Arn'] });
      expect(p.EventSourceArn).toEqual({ 'Fn::GetAtt': ['EnableQueue', 'Arn'] });
      expect(p.BatchSize).toBe(10);
      expect(p.MaximumBatchingWindowInSeconds).toBeGreaterThan(0);
      expect(p.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(p.ScalingConfig).toEqual({ MaximumConcurrency: 5 });
      expect(p.Enabled).toBe(true);
    });

    it('sends a message to the dead-letter queue after 5 receives, and hides it long enough', () => {
      const queue = resource('EnableQueue', 'AWS::SQS::Queue');
      expect(queue.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': ['EnableDeadLetterQueue', 'Arn'] },
        maxReceiveCount: 5,
      });
      const [, queueFn] = lambda('queue');
      expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * queueFn.Properties.Timeout);
      expect(queue.Properties.VisibilityTimeout).toBe(720);
    });

    it('keeps dead letters 14 days', () => {
      const dlq = resource('EnableDeadLetterQueue', 'AWS::SQS::Queue');
      expect(dlq.Properties.MessageRetentionPeriod).toBe(14 * 24 * 60 * 60);
      expect(dlq.Properties.RedrivePolicy).toBeUndefined();
    });

    it('has no queue that can lose a message: every queue is a dead-letter queue or has one', () => {
      const deadLetterTargets = new Set(
        resourcesOfType('AWS::SQS::Queue').flatMap(([, q]) => (q.Properties.RedrivePolicy ? [q.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0] as string] : [])),
      );
      for (const [logicalId, q] of resourcesOfType('AWS::SQS::Queue')) {
        expect(deadLetterTargets.has(logicalId) || q.Properties.RedrivePolicy !== undefined, logicalId).toBe(true);
      }
    });

    it('outputs the queue URL and ARN (and the dead-letter queue)', () => {
      expect(template.Outputs.EnableQueueUrl?.Value).toEqual({ Ref: 'EnableQueue' });
      expect(template.Outputs.EnableQueueArn?.Value).toEqual({ 'Fn::GetAtt': ['EnableQueue', 'Arn'] });
      expect(template.Outputs.EnableDeadLetterQueueUrl?.Value).toEqual({ Ref: 'EnableDeadLetterQueue' });
      expect(template.Outputs.EnableDeadLetterQueueArn?.Value).toEqual({ 'Fn::GetAtt': ['EnableDeadLetterQueue', 'Arn'] });
    });
  });

  describe('schedule', () => {
    it('is one rule, disabled by default, with a {targets: [...]} input for the schedule function', () => {
      const rules = resourcesOfType('AWS::Events::Rule');
      expect(rules).toHaveLength(1);
      const [[, { Properties: p }]] = rules as [[string, Resource]];
      expect(p.ScheduleExpression).toMatch(/^(rate|cron)\(.+\)$/);
      expect(p.State).toBe('DISABLED');
      expect(p.Targets).toHaveLength(1);
      const [scheduleFnId] = lambda('schedule');
      expect(p.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [scheduleFnId, 'Arn'] });
      const input = JSON.parse(p.Targets[0].Input as string) as { targets: Record<string, unknown>[] };
      expect(input.targets.length).toBeGreaterThan(0);
      for (const target of input.targets) {
        // Strings in the shape the request schema accepts (YAML would turn an all-digit id into a number).
        expect(target.project_id).toMatch(/^[0-9a-f]{32}$/);
        expect(target.instance_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      }
    });
  });

  describe('IAM', () => {
    function statements(): Json[] {
      const roles = resourcesOfType('AWS::IAM::Role');
      expect(roles.map(([id]) => id)).toEqual(['IamRoleLambdaExecution']);
      const [[, role]] = roles as [[string, Resource]];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toHaveLength(1);
      return role.Properties.Policies[0].PolicyDocument.Statement as Json[];
    }

    it('grants exactly: the functions log groups, the one secret, the enable queue to the SQS event, and sending tracking messages to it', () => {
      const logGroups = `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${SERVICE}-${STAGE}*`;
      const byAction = (a: Json, b: Json) => String(a.Action[0]).localeCompare(String(b.Action[0]));
      expect([...statements()].sort(byAction)).toEqual(
        [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:TagResource'],
            Resource: [{ 'Fn::Sub': `${logGroups}:*` }],
          },
          { Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: [{ 'Fn::Sub': `${logGroups}:*:*` }] },
          { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: expect.anything() },
          { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['EnableQueue', 'Arn'] } },
          {
            Effect: 'Allow',
            Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
            Resource: [{ 'Fn::GetAtt': ['EnableQueue', 'Arn'] }],
          },
        ].sort(byAction),
      );
    });

    it('has no wildcard resource or action, no NotAction, no NotResource', () => {
      for (const statement of statements()) {
        expect([statement.Resource].flat(), JSON.stringify(statement)).not.toContain('*');
        for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*/);
        expect(statement.NotAction).toBeUndefined();
        expect(statement.NotResource).toBeUndefined();
      }
    });

    it('allows GetSecretValue on the credentials secret only: by name, the name plus its 6-character suffix', () => {
      const secret = statements().find((s) => s.Action.includes('secretsmanager:GetSecretValue'));
      const conditions = template.Conditions ?? {};
      expect(evaluate(secret.Resource, conditions)).toBe(
        `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${SECRET_NAME}-??????`,
      );
    });

    it('allows GetSecretValue on exactly the given ARN when the setting is an ARN', () => {
      const secret = statements().find((s) => s.Action.includes('secretsmanager:GetSecretValue'));
      const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:huawei/credentials-AbCdEf';
      const asArn = substitute({ resource: secret.Resource, conditions: template.Conditions ?? {} }, SECRET_NAME, arn);
      expect(evaluate(asArn.resource, asArn.conditions)).toBe(arn);
    });
  });
});
