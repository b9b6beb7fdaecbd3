import type { IgnoreRules } from '@firstseen/core';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { OU_OR_ROOT_ID_PATTERN } from './constants';
import { InfraConfigError } from './errors';
import { CENTRAL_BUS_PARAMETER, type Coverage, forwardingTemplate } from './forwardingTemplate';
import { validateRegions } from './regions';
import { sourceFilter } from './sourceFilter';

/** How a StackSet operation proceeds across the accounts of one region. */
export interface ForwardingOperationSettings {
  /**
   * Percentage of accounts per region that may fail before CloudFormation stops the operation
   * there. CloudFormation rounds the count down, so in a small OU any percentage under 100
   * can round to 0 and one failed account (an opt-in region it has not enabled, an SCP) stops
   * the rollout for everyone. Default 100: the operation always reaches every account and the
   * failed instances are reported by `npm run coverage`.
   */
  failureTolerancePercentage?: number;
  /** Percentage of accounts deployed at once (rounded down, at least 1). Default 25. */
  maxConcurrentPercentage?: number;
}

export interface OrganizationForwardingArgs {
  /** Prefix of every physical name (StackSet, stacks, the member rule). Default `firstseen`. */
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
   * The account running this program (the security account). It is excluded from the StackSet
   * (`AccountFilterType: DIFFERENCE`) and covered by plain stacks instead, so it is covered
   * exactly once whether or not it sits inside `targetOus`. Default: the caller's account.
   */
  securityAccountId?: pulumi.Input<string>;
  /** Forward from the security account too (plain stacks, one per region). Default true. */
  includeSecurityAccount?: boolean;
  /**
   * A role in the management account this program may assume (e.g.
   * `arn:aws:iam::<mgmt>:role/firstseen-deploy`). Service-managed StackSets never deploy there;
   * with a role, the same `pulumi up` deploys the template there per region. Without one the
   * operator deploys `templateBody` by hand (infra/README.md "Management account").
   */
  managementAccountRoleArn?: string;
  operation?: ForwardingOperationSettings;
  /** `DELEGATED_ADMIN` (default) when run from the delegated administrator, `SELF` from the management account. */
  callAs?: 'DELEGATED_ADMIN' | 'SELF';
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

function percentage(name: string, value: number | undefined, fallback: number, min: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > 100) {
    throw new InfraConfigError(`forwarding.${name} must be an integer percentage in ${min}..100, got ${v}`);
  }
  return v;
}

/**
 * Organization-wide forwarding: a service-managed StackSet, auto-deployed to every account of
 * the target OUs (including accounts that join later) in every chosen region, creating the
 * forwarding rule and its role. The security account is excluded from the StackSet and gets
 * the same template as plain stacks; the management account, which service-managed StackSets
 * never reach, gets them too when `managementAccountRoleArn` is given.
 */
export class OrganizationForwarding extends pulumi.ComponentResource {
  readonly stackSet: aws.cloudformation.StackSet;
  readonly instances: aws.cloudformation.StackSetInstance[];
  readonly securityAccountStacks: aws.cloudformation.Stack[];
  readonly managementAccountStacks: aws.cloudformation.Stack[];
  /** The member template as JSON (also for the management account's manual deployment). */
  readonly templateBody: string;
  /** The regions forwarded. */
  readonly regions: string[];

  constructor(name: string, args: OrganizationForwardingArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firstseen:forwarding:OrganizationForwarding', name, {}, opts);
    const parent = { parent: this };
    const prefix = args.namePrefix ?? 'firstseen';
    const regions = validateRegions(args.regions);
    this.regions = regions;
    if (args.targetOus.length === 0)
      throw new InfraConfigError('targetOus: at least one OU or root id is required');
    const badOus = args.targetOus.filter((ou) => !OU_OR_ROOT_ID_PATTERN.test(ou));
    if (badOus.length) throw new InfraConfigError(`targetOus: not an OU or root id: ${badOus.join(', ')}`);
    if (args.managementAccountRoleArn !== undefined && !ROLE_ARN.test(args.managementAccountRoleArn)) {
      throw new InfraConfigError(
        `managementAccountRoleArn must be an IAM role ARN, got "${args.managementAccountRoleArn}"`,
      );
    }
    const callAs = args.callAs ?? 'DELEGATED_ADMIN';
    const operationPreferences = {
      // SOFT: a failed account does not lower the concurrency of the rest of the rollout.
      concurrencyMode: 'SOFT_FAILURE_TOLERANCE',
      failureTolerancePercentage: percentage(
        'failureTolerancePercentage',
        args.operation?.failureTolerancePercentage,
        100,
        0,
      ),
      maxConcurrentPercentage: percentage(
        'maxConcurrentPercentage',
        args.operation?.maxConcurrentPercentage,
        25,
        1,
      ),
    };
    const securityAccountId = args.securityAccountId ?? aws.getCallerIdentityOutput({}, parent).accountId;

    const ignore = args.ignore ?? {};
    const untranslated = sourceFilter({ coverage: args.coverage, ignore }).untranslated;
    if (untranslated.length > 0) {
      pulumi.log.warn(
        `these ignore rules have no exact EventBridge pattern, so their events are still forwarded and ignored by the detector: ${untranslated.join(', ')}`,
        this,
      );
    }
    this.templateBody = JSON.stringify(forwardingTemplate(args.coverage, { namePrefix: prefix, ignore }));
    const stackName = `${prefix}-forwarding`;
    this.stackSet = new aws.cloudformation.StackSet(
      `${name}-stackset`,
      {
        name: stackName,
        description: 'firstseen: forward CloudTrail events from every member account to the security account',
        permissionModel: 'SERVICE_MANAGED',
        autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
        callAs,
        capabilities: ['CAPABILITY_IAM'],
        managedExecution: { active: true },
        operationPreferences: { regionConcurrencyType: 'PARALLEL', ...operationPreferences },
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
            // The security account may sit in a target OU (the root, typically): it is covered
            // by its own stacks below, and a second owner of the same named rule would collide.
            deploymentTargets: {
              organizationalUnitIds: args.targetOus,
              accountFilterType: 'DIFFERENCE',
              accounts: [securityAccountId],
            },
            operationPreferences,
          },
          parent,
        ),
    );
    const stacksIn = (kind: string, provider?: (region: string) => aws.Provider) =>
      regions.map(
        (region) =>
          new aws.cloudformation.Stack(
            `${name}-${kind}-${region}`,
            {
              name: stackName,
              region: provider ? undefined : region,
              capabilities: ['CAPABILITY_IAM'],
              parameters: { [CENTRAL_BUS_PARAMETER]: args.centralBusArn },
              templateBody: this.templateBody,
            },
            provider ? { parent: this, provider: provider(region) } : parent,
          ),
      );
    this.securityAccountStacks = args.includeSecurityAccount === false ? [] : stacksIn('self');
    const roleArn = args.managementAccountRoleArn;
    this.managementAccountStacks = roleArn
      ? stacksIn(
          'management',
          (region) =>
            new aws.Provider(
              `${name}-management-${region}`,
              { region, assumeRoles: [{ roleArn, sessionName: `${prefix}-forwarding` }] },
              parent,
            ),
        )
      : [];

    this.registerOutputs({ stackSetName: this.stackSet.name });
  }
}
