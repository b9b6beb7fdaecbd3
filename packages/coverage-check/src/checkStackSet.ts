import { type CloudFormationClient, paginateListStackInstances } from '@aws-sdk/client-cloudformation';
import type { CoverageRow, CoverageTargets } from './types';

/**
 * Every stack instance of the forwarding StackSet that is not CURRENT (OUTDATED: the last
 * operation failed or has not reached it; INOPERABLE: a delete failed), with AWS's reason.
 * Returns the rows and the regions the StackSet covers.
 */
export async function checkStackSet(
  client: CloudFormationClient,
  targets: Pick<CoverageTargets, 'stackSetName' | 'callAs'>,
): Promise<{ rows: CoverageRow[]; regions: string[] }> {
  const rows: CoverageRow[] = [];
  const regions = new Set<string>();
  let total = 0;
  const pages = paginateListStackInstances(
    { client },
    { StackSetName: targets.stackSetName, CallAs: targets.callAs },
  );
  for await (const page of pages) {
    for (const s of page.Summaries ?? []) {
      total++;
      if (s.Region) regions.add(s.Region);
      if (s.Status === 'CURRENT') continue;
      const detailed = s.StackInstanceStatus?.DetailedStatus;
      rows.push({
        check: 'stackset',
        target: `${s.Account}/${s.Region}`,
        status: 'gap',
        detail: `${s.Status}${detailed ? ` (${detailed})` : ''}${s.StatusReason ? `: ${s.StatusReason}` : ''}`,
      });
    }
  }
  if (rows.length === 0) {
    rows.push({
      check: 'stackset',
      target: targets.stackSetName,
      status: total > 0 ? 'ok' : 'gap',
      detail: total > 0 ? `${total} stack instances, all CURRENT` : 'no stack instances: nothing forwards',
    });
  }
  return { rows, regions: [...regions].sort() };
}
