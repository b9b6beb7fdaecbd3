import type { Level, Severity } from '@firstseen/core';
import type { ActionSpec, SdkLanguage, WorkloadKind } from './catalog';

/** A CloudTrail record as the generator writes it (the shape of a real record). */
export type CloudTrailRecord = Record<string, unknown> & {
  eventVersion: string;
  userIdentity: Record<string, unknown>;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  eventID: string;
  recipientAccountId: string;
};

export type AccountEnv =
  | 'management'
  | 'security'
  | 'shared-services'
  | 'prod'
  | 'staging'
  | 'dev'
  | 'sandbox'
  | 'data';

export interface Account {
  /** 12 digits. */
  id: string;
  name: string;
  env: AccountEnv;
  /** Second octet of the account's VPC (10.<octet>.0.0/16). */
  vpcOctet: number;
}

export type PrincipalKind =
  | 'app-role'
  | 'platform-role'
  | 'sso'
  | 'iam-user'
  | 'root'
  | 'service-linked'
  | 'aws-service';

/** How activity spreads over the week. */
export type Rhythm = 'service' | 'human' | 'batch' | 'rare';

/** How a principal's calls reach AWS, which decides its source IPs. */
export type Network = 'private' | 'nat' | 'lambda' | 'ci' | 'saas' | 'human' | 'aws-internal';

/** A person behind an SSO permission set or an IAM user. */
export interface Human {
  name: string;
  email: string;
  client: 'console' | 'cli';
  /** aws-cli user-agent prefix (the command is appended per call). */
  cliPrefix: string;
  homeIp: string;
}

/** One identity of the organization with its stable behaviour. */
export interface PrincipalProfile {
  index: number;
  /** The canonical principal docs/semantics.md derives, or undefined for identities ignored by design. */
  principal: string | undefined;
  kind: PrincipalKind;
  workload: WorkloadKind;
  /** Role name, permission-set name, user name, `root`, or the AWS service's host name. */
  name: string;
  /** IAM role path (`/`, `/service/`, `/aws-reserved/sso.amazonaws.com/`, ...). */
  path: string;
  rhythm: Rhythm;
  /** Hours added to UTC to get the principal's local time (human rhythms). */
  utcOffsetHours: number;
  /** Relative share of the organization's activity. */
  weight: number;
  accounts: Account[];
  accountWeights: Float64Array;
  /** Primary region first. */
  regions: string[];
  regionWeights: Float64Array;
  /** Actions in rank order (the most frequent first). */
  actions: ActionSpec[];
  actionWeights: Float64Array;
  language: SdkLanguage | undefined;
  /** SDK user agent per action (same order as `actions`), for SDK-driven principals. */
  userAgents: string[] | undefined;
  network: Network;
  humans: Human[];
  /** Probability that a call fails with a benign error. */
  errorRate: number;
}

export interface Organization {
  seed: string;
  domain: string;
  accounts: Account[];
  principals: PrincipalProfile[];
  /** Source IPs of each account's NAT gateways. */
  natIps: Map<string, string[]>;
  /** Canonical principals of observed identities (for counts and tests). */
  observedPrincipals: string[];
}

export type ScenarioName =
  | 'new-action'
  | 'new-region'
  | 'window-return'
  | 'recon-burst'
  | 'stop-logging'
  | 'deployment-burst'
  | 'iam-change-then-new-action'
  | 'tool-after-deployment'
  | 'stop-logging-in-deployment'
  | 'self-granted-policy'
  /** Needs the opt-in `resource` level: a known GetObject on a bucket the role never touched. */
  | 'exfiltration';

/** The scenarios 'all' injects (with `resourceLevel`, RESOURCE_SCENARIOS too). */
export const SCENARIOS: readonly ScenarioName[] = [
  'new-action',
  'new-region',
  'window-return',
  'recon-burst',
  'stop-logging',
  'deployment-burst',
  'iam-change-then-new-action',
];

/**
 * Attacks hidden behind benign-looking activity, injected only when named (they reuse the
 * deployment principals, so 'all' stays as it was): a new tool's user agent right after a real
 * deployment, StopLogging inside a deployment burst, a principal granting itself a policy and
 * then using it.
 */
export const ATTACK_SCENARIOS: readonly ScenarioName[] = [
  'tool-after-deployment',
  'stop-logging-in-deployment',
  'self-granted-policy',
];

/** Scenarios that need the opt-in `resource` level: 'all' injects them with `resourceLevel`. */
export const RESOURCE_SCENARIOS: readonly ScenarioName[] = ['exfiltration'];

/** Every scenario name planAnomalies accepts. */
export const SCENARIO_NAMES: readonly ScenarioName[] = [
  ...SCENARIOS,
  ...ATTACK_SCENARIOS,
  ...RESOURCE_SCENARIOS,
];

/** What one injected event should produce under the default configuration. */
export interface ExpectedAlert {
  eventId: string;
  eventTime: string;
  action: string;
  expectedLevels: Level[];
  expectedSeverity: Severity;
  errorCode?: string;
  firstSuccessAfterFailure?: boolean;
  /**
   * Ground truth of intent: true for a call made by an attacker (stolen credentials, an attack
   * tool, a self-granted permission used), false for a legitimate one (a real deployment, an
   * administrator's change); absent where the scenario says nothing about intent.
   */
  malicious?: boolean;
}

/** Ground truth of one injected anomaly. */
export interface GroundTruthEntry {
  scenario: ScenarioName;
  label: string;
  principal: string;
  account: string;
  region: string;
  actions: string[];
  /** The events that should alert, in time order. */
  eventIds: string[];
  /** The levels every one of `eventIds` should fire (docs/semantics.md, default configuration). */
  expectedLevels: Level[];
  events: ExpectedAlert[];
  /** Injected events that belong to the story but should not alert (repeats, the IAM change). */
  relatedEventIds: string[];
}

export interface TimedRecord {
  /** eventTime in epoch seconds. */
  time: number;
  record: CloudTrailRecord;
}

export interface AnomalyPlan {
  /** Injected records in time order: setup events in the history, anomalies in the live period. */
  events: TimedRecord[];
  truth: GroundTruthEntry[];
  /** Scenarios left out because the periods cannot hold them (only when `scenarios` is 'all'). */
  skipped: { scenario: ScenarioName; reason: string }[];
  /** The configuration the expected levels assume. */
  assumes: { windowDays: number; retentionDays: number; levels: 'all'; resource: boolean };
}
