import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';

type SpecDb = ReturnType<typeof loadAwsServiceSpecSync>;
// The spec's own property type (a union over primitive, ref, array, map, union, tag, json).
type PropType = {
  type: string;
  element?: PropType;
  types?: PropType[];
  reference?: { $ref: string };
  allowedValues?: string[];
};
type Props = Record<string, { type: PropType; required?: boolean }>;

let db: SpecDb | undefined;
const spec = (): SpecDb => {
  db ??= loadAwsServiceSpecSync();
  return db;
};

const isIntrinsic = (v: unknown): boolean =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.keys(v).length === 1 &&
  /^(Ref|Fn::[A-Za-z]+)$/.test(Object.keys(v)[0]!);

function checkValue(value: unknown, type: PropType, at: string, problems: string[]): void {
  if (isIntrinsic(value)) return;
  switch (type.type) {
    case 'json':
    case 'tag':
      return;
    case 'string':
      if (typeof value !== 'string') problems.push(`${at}: expected a string`);
      else if (type.allowedValues && !type.allowedValues.includes(value)) {
        problems.push(`${at}: "${value}" is not one of ${type.allowedValues.join(', ')}`);
      }
      return;
    case 'integer':
    case 'number':
      if (typeof value !== 'number') problems.push(`${at}: expected a number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${at}: expected a boolean`);
      return;
    case 'array':
      if (!Array.isArray(value)) problems.push(`${at}: expected an array`);
      else
        value.forEach((v, i) => {
          checkValue(v, type.element!, `${at}[${i}]`, problems);
        });
      return;
    case 'map':
      if (typeof value !== 'object' || value === null) problems.push(`${at}: expected a map`);
      else for (const [k, v] of Object.entries(value)) checkValue(v, type.element!, `${at}.${k}`, problems);
      return;
    case 'union': {
      const attempts = type.types!.map((t) => {
        const p: string[] = [];
        checkValue(value, t, at, p);
        return p;
      });
      if (!attempts.some((p) => p.length === 0)) problems.push(...attempts[0]!);
      return;
    }
    case 'ref': {
      const def = spec().get('typeDefinition', type.reference!.$ref) as unknown as {
        name: string;
        properties: Props;
      };
      checkProperties(value, def.properties, at, problems);
      return;
    }
    default:
      return;
  }
}

function checkProperties(value: unknown, props: Props, at: string, problems: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${at}: expected an object`);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const prop = props[key];
    if (!prop) problems.push(`${at}.${key}: no such property`);
    else checkValue(v, prop.type, `${at}.${key}`, problems);
  }
  for (const [key, prop] of Object.entries(props)) {
    if (prop.required && !(key in value)) problems.push(`${at}.${key}: required property missing`);
  }
}

/**
 * Checks a CloudFormation template against AWS's resource specification
 * (@aws-cdk/aws-service-spec): every resource type exists, every property (nested ones too)
 * exists on its type, required properties are present, enum values are allowed, and every
 * Fn::GetAtt names an attribute the type has. Returns the problems found (empty = valid).
 */
export function validateTemplate(template: {
  Resources: Record<string, { Type: string; Properties?: unknown }>;
  Outputs?: unknown;
}): string[] {
  const problems: string[] = [];
  const types = new Map<string, { attributes: Record<string, unknown> }>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const found = spec().lookup('resource', 'cloudFormationType', 'equals', resource.Type);
    if (found.length !== 1) {
      problems.push(`${logicalId}: unknown resource type ${resource.Type}`);
      continue;
    }
    const r = found[0] as unknown as { properties: Props; attributes: Record<string, unknown> };
    types.set(logicalId, r);
    checkProperties(resource.Properties ?? {}, r.properties, logicalId, problems);
  }
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) {
      const getAtt = (v as Record<string, unknown>)['Fn::GetAtt'];
      if (Array.isArray(getAtt)) {
        const [id, attr] = getAtt as [string, string];
        const r = types.get(id);
        if (!r) problems.push(`Fn::GetAtt ${id}.${attr}: no such resource`);
        else if (!(attr in r.attributes)) problems.push(`Fn::GetAtt ${id}.${attr}: no such attribute`);
      }
      Object.values(v).forEach(visit);
    }
  };
  visit(template);
  return problems;
}
