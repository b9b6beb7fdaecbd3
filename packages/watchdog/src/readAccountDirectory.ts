import {
  DescribeOrganizationalUnitCommand,
  type OrganizationsClient,
  paginateListAccounts,
  paginateListParents,
} from '@aws-sdk/client-organizations';
import type { AccountDirectory } from '@firstseen/dynamodb-store';

/**
 * Reads every account's name (ListAccounts) and OU path (ListParents up to the root, OU names by
 * DescribeOrganizationalUnit), from the management account or a delegated administrator. Each
 * OU is looked up once per read, so the calls are accounts + OUs, not accounts x depth.
 */
export async function readAccountDirectory(client: OrganizationsClient): Promise<AccountDirectory> {
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

  const directory: AccountDirectory = {};
  for await (const page of paginateListAccounts({ client }, {})) {
    for (const a of page.Accounts ?? []) {
      if (!a.Id) continue;
      // Sequential on purpose: Organizations throttles at a few requests a second per account.
      const up = await parent(a.Id);
      directory[a.Id] = { name: a.Name ?? a.Id, ouPath: up ? await ouPath(up) : '' };
    }
  }
  return directory;
}
