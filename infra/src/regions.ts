import { Region } from '@pulumi/aws/types/enums';
import { GLOBAL_EVENTS_REGION } from './constants';
import { InfraConfigError } from './errors';

/**
 * Every region AWS has, as the pinned AWS provider knows them (`aws.Region`, generated from
 * AWS's endpoint data): a misspelt or invented region (`eu-west-9`) is refused before anything
 * is deployed, instead of failing StackSet instance by instance.
 */
export const AWS_REGIONS: readonly string[] = Object.values(Region);

/**
 * Checks the forwarding region list. us-east-1 is required: events of global services (IAM,
 * Organizations, STS's global endpoint, console sign-in) reach EventBridge only there, so a
 * list without it would silently miss `iam:CreateUser` and every console login.
 */
export function validateRegions(regions: readonly string[]): string[] {
  if (regions.length === 0) throw new InfraConfigError('regions: at least one region is required');
  const bad = regions.filter((r) => !AWS_REGIONS.includes(r));
  if (bad.length) {
    throw new InfraConfigError(
      `regions: not an AWS region: ${bad.join(', ')} (see \`aws ec2 describe-regions\`)`,
    );
  }
  if (!regions.includes(GLOBAL_EVENTS_REGION)) {
    throw new InfraConfigError(
      `regions must include ${GLOBAL_EVENTS_REGION}: IAM, Organizations, STS (global endpoint) and console ` +
        `sign-in events reach EventBridge only in ${GLOBAL_EVENTS_REGION}; got [${regions.join(', ')}]`,
    );
  }
  return [...new Set(regions)];
}

export interface ForwardedRegions {
  /** The regions the forwarding covers (validated, sorted). */
  regions: string[];
  /** Regions enabled for the organization that the forwarding does not cover: blind spots. */
  unforwarded: string[];
}

/**
 * The regions to forward from: every enabled region unless a list is configured. A configured
 * list that omits enabled regions is allowed (some organizations deny unused regions with an
 * SCP instead) but reported in `unforwarded`, so `pulumi up` can warn about the blind spots.
 */
export function resolveForwardedRegions(
  configured: readonly string[] | undefined,
  enabled: readonly string[],
): ForwardedRegions {
  const regions = validateRegions(configured ?? enabled).sort();
  const unforwarded = [...new Set(enabled)].filter((r) => !regions.includes(r)).sort();
  return { regions, unforwarded };
}

/** The warning `pulumi up` prints for regions enabled but not forwarded. */
export function unforwardedRegionsWarning(unforwarded: readonly string[]): string | undefined {
  if (unforwarded.length === 0) return undefined;
  return (
    `firstseen:regions omits ${unforwarded.length} enabled region(s): ${unforwarded.join(', ')}. ` +
    'Activity there is invisible to firstseen. Forward them (remove firstseen:regions to cover every ' +
    'enabled region) or deny them with an SCP on aws:RequestedRegion (infra/README.md "Regions").'
  );
}
