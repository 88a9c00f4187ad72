// cfn-lint (AWS's CloudFormation linter, a Python tool: `pip install cfn-lint`) on templates: its
// findings as JSON. Tests that need it skip, with one line saying why, where it is missing.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';

export interface CfnLintFinding {
  readonly Filename: string;
  readonly Rule: { readonly Id: string };
  readonly Level: string;
  readonly Message: string;
  readonly Location: { readonly Path: readonly (string | number)[] };
}

/** cfn-lint's version line, or undefined when it cannot be run here. */
export function cfnLintVersion(): string | undefined {
  const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/** One cfn-lint run over every template, each checked for every region given. */
export async function cfnLint({ templateFiles, regions }: { templateFiles: readonly string[]; regions: readonly string[] }): Promise<CfnLintFinding[]> {
  const args = ['--format', 'json', '--regions', ...regions, '--', ...templateFiles];
  try {
    const { stdout } = await promisify(execFile)('cfn-lint', args, { timeout: 90_000, maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(stdout || '[]') as CfnLintFinding[];
  } catch (error) {
    // cfn-lint exits non-zero whenever it finds something (2 errors, 4 warnings, 8 informational).
    const { stdout, stderr, code } = error as { stdout?: string; stderr?: string; code?: number };
    if (typeof code === 'number' && code > 0 && code < 16 && stdout?.trim().startsWith('[')) return JSON.parse(stdout) as CfnLintFinding[];
    throw new Error(`cfn-lint failed: ${(stderr || stdout || String(error)).slice(0, 2000)}`);
  }
}
