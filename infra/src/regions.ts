import { GLOBAL_EVENTS_REGION } from './constants';
import { InfraConfigError } from './errors';

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/**
 * Checks the forwarding region list. us-east-1 is required: events of global services (IAM,
 * Organizations, STS's global endpoint, console sign-in) reach EventBridge only there, so a
 * list without it would silently miss `iam:CreateUser` and every console login.
 */
export function validateRegions(regions: readonly string[]): string[] {
  if (regions.length === 0) throw new InfraConfigError('regions: at least one region is required');
  const bad = regions.filter((r) => !REGION.test(r));
  if (bad.length) throw new InfraConfigError(`regions: not a region name: ${bad.join(', ')}`);
  if (!regions.includes(GLOBAL_EVENTS_REGION)) {
    throw new InfraConfigError(
      `regions must include ${GLOBAL_EVENTS_REGION}: IAM, Organizations, STS (global endpoint) and console ` +
        `sign-in events reach EventBridge only in ${GLOBAL_EVENTS_REGION}; got [${regions.join(', ')}]`,
    );
  }
  return [...new Set(regions)];
}
