import {
  DescribeOrganizationalUnitCommand,
  type OrganizationsClient,
  paginateListAccounts,
  paginateListParents,
  paginateListTagsForResource,
} from '@aws-sdk/client-organizations';
import { boundAccountInfo } from '@firstseen/core';
import type { AccountDirectory } from '@firstseen/dynamodb-store';

export interface ReadAccountDirectoryOptions {
  /** Also read each account's tags (ListTagsForResource, one call per account); default true. */
  tags?: boolean;
}

/**
 * Reads every account's name (ListAccounts), OU path (ListParents up to the root, OU names by
 * DescribeOrganizationalUnit) and tags (ListTagsForResource), from the management account or a
 * delegated administrator. Each OU is looked up once per read, so the calls are accounts x 2 +
 * OUs, not accounts x depth. Tags are a bonus: an account whose tags cannot be read keeps its
 * name and OU path, and an AccessDenied stops asking for the rest (a role without the grant).
 */
export async function readAccountDirectory(
  client: OrganizationsClient,
  options: ReadAccountDirectoryOptions = {},
): Promise<AccountDirectory> {
  let readTags = options.tags ?? true;
  const parentOf = new Map<string, Promise<string | undefined>>();
  const pathOf = new Map<string, Promise<string>>();

  /** The parent OU id of a child, or undefined when the parent is the root. */
  const parent = (childId: string): Promise<string | undefined> => {
    let p = parentOf.get(childId);
    if (!p) {
      p = (async () => {
        for await (const page of paginateListParents({ client }, { ChildId: childId })) {
          for (const par of page.Parents ?? []) {
            if (par.Type === 'ORGANIZATIONAL_UNIT' && par.Id) return par.Id;
            if (par.Type === 'ROOT') return undefined;
          }
        }
        return undefined;
      })();
      parentOf.set(childId, p);
    }
    return p;
  };

  const ouPath = (ouId: string, depth = 0): Promise<string> => {
    let p = pathOf.get(ouId);
    if (!p) {
      p = (async () => {
        // Organizations nests OUs at most five deep; the bound only guards against a loop.
        if (depth > 10) throw new Error(`OU ${ouId}: nesting deeper than Organizations allows`);
        const res = await client.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: ouId }));
        const name = res.OrganizationalUnit?.Name ?? ouId;
        const up = await parent(ouId);
        return up ? `${await ouPath(up, depth + 1)}/${name}` : name;
      })();
      pathOf.set(ouId, p);
    }
    return p;
  };

  const tagsOf = async (accountId: string): Promise<Record<string, string> | undefined> => {
    if (!readTags) return undefined;
    const tags: Record<string, string> = {};
    try {
      for await (const page of paginateListTagsForResource({ client }, { ResourceId: accountId })) {
        for (const t of page.Tags ?? []) if (t.Key) tags[t.Key] = t.Value ?? '';
      }
    } catch (err) {
      if ((err as { name?: string }).name === 'AccessDeniedException') readTags = false;
      return undefined;
    }
    return Object.keys(tags).length > 0 ? tags : undefined;
  };

  const directory: AccountDirectory = {};
  for await (const page of paginateListAccounts({ client }, {})) {
    for (const a of page.Accounts ?? []) {
      if (!a.Id) continue;
      // Sequential on purpose: Organizations throttles at a few requests a second per account.
      const up = await parent(a.Id);
      const entry = boundAccountInfo({ name: a.Name ?? a.Id, ouPath: up ? await ouPath(up) : '' })!;
      const tags = await tagsOf(a.Id);
      // Bounded like any cached string (at most 50 tags, keys and values cut).
      const bounded = tags && boundAccountInfo({ ...entry, tags })?.tags;
      if (bounded) entry.tags = bounded;
      directory[a.Id] = entry;
    }
  }
  return directory;
}
