// examples/iam-policy-caller.json, the policy a caller of the HTTP API needs: valid JSON, an IAM
// policy allowing execute-api:Invoke on exactly the routes serverless.yml declares, no more.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Statement {
  Effect?: unknown;
  Action?: unknown;
  Resource?: unknown;
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** The HTTP API's routes as serverless.yml declares them: "METHOD /path". */
function declaredRoutes(): string[] {
  const yaml = readFileSync('serverless.yml', 'utf8');
  return [...yaml.matchAll(/- httpApi:\s*\n\s+method: (\w+)\s*\n\s+path: (\S+)/g)].map(([, method, path]) => `${method} ${path}`);
}

/** The route an execute-api ARN allows: arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/path. */
function routeOf(arn: string): string | undefined {
  const match = /^arn:aws:execute-api:[A-Z_]+:[A-Z_]+:[A-Z_]+\/\*\/(GET|POST)(\/.*)$/.exec(arn);
  return match ? `${match[1]} ${match[2]}` : undefined;
}

describe('examples/iam-policy-caller.json', () => {
  const policy = JSON.parse(readFileSync('examples/iam-policy-caller.json', 'utf8')) as { Version?: unknown; Statement?: unknown };

  it('is an IAM policy allowing execute-api:Invoke only', () => {
    expect(policy.Version).toBe('2012-10-17');
    const statements = asList(policy.Statement) as Statement[];
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      expect(asList(statement.Action)).toEqual(['execute-api:Invoke']);
    }
  });

  it('names the POST and the GET route of the HTTP API, as serverless.yml declares them, and nothing else', () => {
    const routes = declaredRoutes();
    expect(routes).toEqual(['POST /v2/{project_id}/instances/{instance_id}/connector', 'GET /v2/{project_id}/instances/{instance_id}/connector']);
    const allowed = (asList(policy.Statement) as Statement[]).flatMap((statement) => asList(statement.Resource)).map((arn) => routeOf(String(arn)));
    // A path parameter is any one value in the ARN: `*`.
    expect(allowed.sort()).toEqual(routes.map((route) => route.replace(/\{[a-z_]+\}/g, '*')).sort());
  });
});
