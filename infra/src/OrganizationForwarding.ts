import type { IgnoreRules } from '@firstseen/core';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { OU_OR_ROOT_ID_PATTERN } from './constants';
import { InfraConfigError } from './errors';
import { CENTRAL_BUS_PARAMETER, type Coverage, forwardingTemplate } from './forwardingTemplate';
import { validateRegions } from './regions';
import { sourceFilter } from './sourceFilter';

export interface OrganizationForwardingArgs {
  /** Prefix of every physical name. Default `firstseen`. */
  namePrefix?: string;
  /** ARN of the pipeline's organization bus. */
  centralBusArn: pulumi.Input<string>;
  /** OU ids (or the root id `r-...`) whose accounts forward, now and when they join later. */
  targetOus: string[];
  /** Regions to forward from; must include us-east-1. */
  regions: string[];
  /** The config's coverage: `all` forwards read-only management events too. */
  coverage: Coverage;
  /**
   * The config's ignore rules: those that translate exactly to EventBridge operators are applied
   * in the member accounts' rule, so ignored events never leave the account (`sourceFilter`).
   */
  ignore?: Partial<IgnoreRules>;
  /**
   * Also deploy the rule to the security account itself (which runs this program). Turn off
   * when the security account is inside one of `targetOus`: the StackSet already covers it.
   * Default true.
   */
  includeSecurityAccount?: boolean;
  /** `DELEGATED_ADMIN` (default) when run from the delegated administrator, `SELF` from the management account. */
  callAs?: 'DELEGATED_ADMIN' | 'SELF';
}

/**
 * Organization-wide forwarding: a service-managed StackSet, auto-deployed to every account of
 * the target OUs (including accounts that join later) in every chosen region, creating the
 * forwarding rule and its role; the same template as plain stacks in the security account.
 * Service-managed StackSets never reach the management account: `templateBody` is exported so
 * the operator can deploy it there (infra/README.md "Management account").
 */
export class OrganizationForwarding extends pulumi.ComponentResource {
  readonly stackSet: aws.cloudformation.StackSet;
  readonly instances: aws.cloudformation.StackSetInstance[];
  readonly securityAccountStacks: aws.cloudformation.Stack[];
  /** The member template as JSON (also for the management account's manual deployment). */
  readonly templateBody: string;

  constructor(name: string, args: OrganizationForwardingArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firstseen:forwarding:OrganizationForwarding', name, {}, opts);
    const parent = { parent: this };
    const prefix = args.namePrefix ?? 'firstseen';
    const regions = validateRegions(args.regions);
    if (args.targetOus.length === 0)
      throw new InfraConfigError('targetOus: at least one OU or root id is required');
    const badOus = args.targetOus.filter((ou) => !OU_OR_ROOT_ID_PATTERN.test(ou));
    if (badOus.length) throw new InfraConfigError(`targetOus: not an OU or root id: ${badOus.join(', ')}`);
    const callAs = args.callAs ?? 'DELEGATED_ADMIN';

    const ignore = args.ignore ?? {};
    const untranslated = sourceFilter({ coverage: args.coverage, ignore }).untranslated;
    if (untranslated.length > 0) {
      pulumi.log.warn(
        `these ignore rules have no exact EventBridge pattern, so their events are still forwarded and ignored by the detector: ${untranslated.join(', ')}`,
        this,
      );
    }
    this.templateBody = JSON.stringify(forwardingTemplate(args.coverage, ignore));
    this.stackSet = new aws.cloudformation.StackSet(
      `${name}-stackset`,
      {
        name: `${prefix}-forwarding`,
        description: 'firstseen: forward CloudTrail events from every member account to the security account',
        permissionModel: 'SERVICE_MANAGED',
        autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
        callAs,
        capabilities: ['CAPABILITY_IAM'],
        managedExecution: { active: true },
        operationPreferences: {
          regionConcurrencyType: 'PARALLEL',
          maxConcurrentPercentage: 25,
          failureTolerancePercentage: 10,
        },
        parameters: { [CENTRAL_BUS_PARAMETER]: args.centralBusArn },
        templateBody: this.templateBody,
      },
      // AWS fills administrationRoleArn for service-managed StackSets; ignoring it avoids a diff on every run.
      { parent: this, ignoreChanges: ['administrationRoleArn'] },
    );
    this.instances = regions.map(
      (region) =>
        new aws.cloudformation.StackSetInstance(
          `${name}-${region}`,
          {
            stackSetName: this.stackSet.name,
            callAs,
            stackSetInstanceRegion: region,
            deploymentTargets: { organizationalUnitIds: args.targetOus },
            operationPreferences: { maxConcurrentPercentage: 25, failureTolerancePercentage: 10 },
          },
          parent,
        ),
    );
    this.securityAccountStacks =
      args.includeSecurityAccount === false
        ? []
        : regions.map(
            (region) =>
              new aws.cloudformation.Stack(
                `${name}-self-${region}`,
                {
                  name: `${prefix}-forwarding`,
                  region,
                  capabilities: ['CAPABILITY_IAM'],
                  parameters: { [CENTRAL_BUS_PARAMETER]: args.centralBusArn },
                  templateBody: this.templateBody,
                },
                parent,
              ),
          );

    this.registerOutputs({ stackSetName: this.stackSet.name });
  }
}
