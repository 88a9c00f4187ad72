// serverless.yml, packaged for real and offline (scripts/offline-serverless.ts): the CloudFormation
// template and the zips a deploy would upload, for one region. Each package is made from a copy of the
// service (serverless.yml, package.json, the built dist/), because the framework writes scratch files
// into the service directory: two packages at once in one directory would trip over each other.
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runServerlessOffline, SERVICE_ROOT } from '../../scripts/offline-serverless.ts';
import type { Template } from './cloudformation.ts';

export interface PackagedService {
  readonly region: string;
  /** The directory `serverless package --package` wrote. */
  readonly dir: string;
  readonly templateFile: string;
  readonly template: Template;
}

export interface PackageRequest {
  readonly region: string;
  readonly stage: string;
  /** A scratch directory of the caller's; everything goes under <scratch>/<region>/. */
  readonly scratch: string;
  /** Files added to the copy of the service before packaging (path relative to it -> content). */
  readonly addFiles?: Readonly<Record<string, string>>;
  /** Stage parameters given on the command line (`--param="name=value"`). */
  readonly params?: Readonly<Record<string, string>>;
}

export async function packageService({ region, stage, scratch, addFiles = {}, params = {} }: PackageRequest): Promise<PackagedService> {
  const work = join(scratch, region);
  const service = join(work, 'service');
  await mkdir(service, { recursive: true });
  await Promise.all([
    cp(join(SERVICE_ROOT, 'serverless.yml'), join(service, 'serverless.yml')),
    cp(join(SERVICE_ROOT, 'package.json'), join(service, 'package.json')),
    cp(join(SERVICE_ROOT, 'dist'), join(service, 'dist'), { recursive: true }),
  ]);
  for (const [path, content] of Object.entries(addFiles)) {
    await mkdir(dirname(join(service, path)), { recursive: true });
    await writeFile(join(service, path), content);
  }
  const dir = join(work, 'package');
  const paramArgs = Object.entries(params).map(([name, value]) => `--param=${name}=${value}`);
  await runServerlessOffline({
    args: ['package', '--stage', stage, '--region', region, '--package', dir, ...paramArgs],
    scratch: join(work, 'cache'),
    cwd: service,
  });
  const templateFile = join(dir, 'cloudformation-template-update-stack.json');
  const template = JSON.parse(await readFile(templateFile, 'utf8')) as Template;
  return { region, dir, templateFile, template };
}
