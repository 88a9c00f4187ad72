// A packaged CloudFormation template, and an evaluator for the few intrinsic functions serverless.yml
// uses, so tests can ask "what would CloudFormation make of this value in region R with parameters P?"
// Resources stay as references ({Ref}, {Fn::GetAtt}); pseudo parameters other than AWS::Region stay as
// ${AWS::...} inside Fn::Sub strings.

// CloudFormation is loosely typed JSON; the assertions give it its shape.
// biome-ignore lint/suspicious/noExplicitAny: any template node, read by the assertions that give it a shape
export type Json = any;

export interface Resource {
  readonly Type: string;
  readonly Properties: Json;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface Template {
  readonly Resources: Record<string, Resource>;
  readonly Outputs: Record<string, { Value: Json }>;
  readonly Conditions?: Record<string, Json>;
  readonly Parameters?: Record<string, { Type: string; Default?: string; AllowedPattern?: string }>;
  readonly Mappings?: Record<string, Record<string, Record<string, Json>>>;
}

export interface Deployment {
  readonly region: string;
  /** Template parameters given at deploy time; the others take their Default. */
  readonly parameters?: Readonly<Record<string, string>>;
}

export function evaluate(node: Json, template: Template, deployment: Deployment): Json {
  const again = (value: Json) => evaluate(value, template, deployment);
  if (typeof node !== 'object' || node === null) return node;
  if (Array.isArray(node)) return node.map(again);
  const [fn, args] = Object.entries(node)[0] ?? [];
  switch (fn) {
    case 'Ref':
      return reference(args as string, template, deployment) ?? node;
    case 'Condition':
      return condition(args as string, template, deployment);
    case 'Fn::Sub': {
      const [text, vars] = typeof args === 'string' ? [args, {}] : (args as [string, Record<string, Json>]);
      return text.replace(/\$\{([^}!]+)\}/g, (whole, name: string) => (name in vars ? String(again(vars[name])) : whole));
    }
    case 'Fn::If': {
      const [name, whenTrue, whenFalse] = args as [string, Json, Json];
      return again(condition(name, template, deployment) ? whenTrue : whenFalse);
    }
    case 'Fn::Equals': {
      const [a, b] = again(args) as [Json, Json];
      return a === b;
    }
    case 'Fn::Not':
      return !(again(args) as [boolean])[0];
    case 'Fn::And':
      return (again(args) as boolean[]).every(Boolean);
    case 'Fn::Or':
      return (again(args) as boolean[]).some(Boolean);
    case 'Fn::Select': {
      const [index, list] = again(args) as [number, Json[]];
      return list[Number(index)];
    }
    case 'Fn::Split': {
      const [delimiter, text] = again(args) as [string, string];
      return text.split(delimiter);
    }
    case 'Fn::FindInMap': {
      const [map, top, second] = again(args) as [string, string, string];
      return template.Mappings?.[map]?.[top]?.[second];
    }
    default:
      // Other intrinsics (Fn::GetAtt, Fn::Join, ...) stay as they are; plain objects are walked.
      return fn?.startsWith('Fn::') ? node : Object.fromEntries(Object.entries(node).map(([key, item]) => [key, again(item)]));
  }
}

/** Whether a named condition holds for this deployment. */
export function condition(name: string, template: Template, deployment: Deployment): boolean {
  const definition = template.Conditions?.[name];
  if (definition === undefined) throw new Error(`no condition ${name} in the template`);
  return Boolean(evaluate(definition, template, deployment));
}

/** Whether a resource would be created for this deployment (its Condition, if any, holds). */
export function isCreated(logicalId: string, template: Template, deployment: Deployment): boolean {
  const resource = template.Resources[logicalId];
  if (!resource) return false;
  return resource.Condition === undefined || condition(resource.Condition, template, deployment);
}

function reference(name: string, template: Template, deployment: Deployment): string | undefined {
  if (name === 'AWS::Region') return deployment.region;
  const parameter = template.Parameters?.[name];
  if (!parameter) return undefined;
  const value = deployment.parameters?.[name] ?? parameter.Default;
  if (value === undefined) throw new Error(`template parameter ${name} has no value`);
  if (parameter.AllowedPattern !== undefined && !new RegExp(parameter.AllowedPattern).test(value)) {
    throw new Error(`template parameter ${name}: ${value} does not match ${parameter.AllowedPattern}`);
  }
  return value;
}
