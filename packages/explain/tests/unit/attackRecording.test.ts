import {
  type Alert,
  DetectionEngine,
  decodeRecord,
  InMemoryBaselineStore,
  type ObservedEvent,
  parseConfig,
} from '@firstseen/core';
import { corpusLines, corpusRecord } from '@firstseen/test-support';
import { Explainer } from '../../src/Explainer';
import { InMemoryExplainStore } from '../../src/InMemoryExplainStore';
import { BENIGN_REASONS, type ExplanationContext, type ExplanationReason } from '../../src/types';

/**
 * Real, publicly recorded attacks replayed through the engine with explanations on: Stratus Red
 * Team's detonations (an IAM user's keys used by the attack tool, one fake account per
 * technique) and OTRF's EC2-proxy S3 exfiltration (an instance role's credentials used with
 * the AWS CLI from the attacker's laptop). Burn-in is off so that every first occurrence alerts.
 */
const RECORDINGS = ['stratus-red-team-detonation-logs.ndjson', 'otrf-security-datasets-aws.ndjson'];

interface Recorded {
  event: ObservedEvent;
  /** The call was made by the attack tool (ground truth from the recording's user agents). */
  attack: boolean;
  /** A synthesised warm-up call (not from the recording). */
  warmUp: boolean;
}

function isAttackToolCall(file: string, record: Record<string, unknown>): boolean {
  const ua = String(record['userAgent'] ?? '');
  if (file.startsWith('stratus')) return ua.startsWith('stratus-red-team_');
  // OTRF: the instance role's credentials, used with the AWS CLI from a Mac.
  return /^\[?aws-cli\/.* Darwin\//.test(ua);
}

function recording(): Recorded[] {
  const out: Recorded[] = [];
  for (const file of RECORDINGS) {
    corpusLines(file).forEach((_, i) => {
      const record = corpusRecord(file, i + 1);
      const [d] = decodeRecord(JSON.stringify(record));
      if (d?.outcome === 'observed') {
        out.push({ event: d.event, attack: isAttackToolCall(file, record), warmUp: false });
      }
    });
  }
  return out;
}

const TERRAFORM =
  'APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.66.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.5 ua/2.0 os/linux lang/go#1.22.6 api/ec2#1.177.0';
// What a Terraform warm-up creates before a detonation: ordinary infrastructure calls.
const WARM_UP_ACTIONS = [
  'sts:GetCallerIdentity',
  'ec2:DescribeAvailabilityZones',
  'ec2:CreateVpc',
  'ec2:DescribeVpcs',
  'ec2:CreateSubnet',
  'ec2:DescribeSubnets',
  'ec2:CreateSecurityGroup',
  'ec2:DescribeSecurityGroups',
  'ec2:CreateInternetGateway',
  'ec2:AttachInternetGateway',
  'ec2:CreateRouteTable',
  'ec2:CreateRoute',
  'ec2:AssociateRouteTable',
  'ec2:CreateTags',
  's3:CreateBucket',
  's3:PutBucketTagging',
  's3:GetBucketVersioning',
  'iam:GetRole',
  'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies',
];

/**
 * The recording with, for each attacked principal, what the issue saw: the principal deployed
 * with Terraform the day before (from the same address), then a Terraform warm-up of 20 new
 * actions in the 5 minutes before the attack tool's first call, from the same address.
 */
function withTerraformWarmUp(recorded: Recorded[]): Recorded[] {
  const first = new Map<string, ObservedEvent>();
  for (const r of recorded) {
    if (!r.attack) continue;
    const seen = first.get(r.event.principal);
    if (seen === undefined || r.event.time < seen.time) first.set(r.event.principal, r.event);
  }
  const warm: Recorded[] = [];
  for (const [principal, e] of first) {
    const call = (short: string, time: number, n: number): Recorded => {
      const [service, name] = short.split(':') as [string, string];
      const eventSource = `${service}.amazonaws.com`;
      const event: ObservedEvent = {
        ...e,
        eventId: `warm-up-${principal}-${n}`,
        eventTime: new Date(time).toISOString(),
        time,
        eventSource,
        eventName: name,
        action: `${eventSource}:${name}`,
        failed: false,
        userAgent: TERRAFORM,
        record: { requestParameters: null },
      };
      delete event.errorCode;
      return { event, attack: false, warmUp: true };
    };
    const dayBefore = e.time - 86_400_000;
    warm.push(call('sts:GetCallerIdentity', dayBefore, 0), call('ec2:DescribeRegions', dayBefore + 1000, 1));
    WARM_UP_ACTIONS.forEach((a, i) => {
      warm.push(call(a, e.time - 300_000 + i * 14_000, 2 + i));
    });
  }
  return [...warm, ...recorded];
}

interface Replayed extends Recorded {
  alert?: Alert & { context: ExplanationContext };
}

async function replay(recorded: Recorded[]): Promise<Replayed[]> {
  const sorted = [...recorded].sort((a, b) => a.event.time - b.event.time);
  const explainer = new Explainer({ store: new InMemoryExplainStore() });
  const engine = new DetectionEngine({
    store: new InMemoryBaselineStore(),
    config: parseConfig({ burnInDays: 0 }),
    observer: explainer.observe,
    context: explainer.context,
  });
  const out: Replayed[] = [];
  for (const r of sorted) {
    const detection = await engine.detect(r.event, 'live');
    const alert = detection.alert as (Alert & { context: ExplanationContext }) | undefined;
    out.push(alert ? { ...r, alert } : r);
  }
  return out;
}

const RISK_REASONS: readonly ExplanationReason[] = [
  'denied',
  'first-success-after-denied',
  'privilege-escalation',
  'unusual-context',
];

function expectNoBenignLead(alerts: Replayed[]): void {
  for (const { alert } of alerts) {
    const ctx = alert!.context;
    const seen = { action: alert!.action, reason: ctx.reason, explanation: ctx.explanation };
    expect({ ...seen, benign: BENIGN_REASONS.includes(ctx.reason) }).toEqual({ ...seen, benign: false });
    expect(ctx.explanation).not.toMatch(/Looks like a new deployment|likely the reason/);
    if (alert!.sensitive || alert!.principal.startsWith('root/')) {
      expect(ctx.facts.effect).toBeDefined();
      expect(ctx.explanation.startsWith(`${ctx.facts.effect}. `)).toBe(true);
    }
  }
}

describe('explanations of real attack recordings', () => {
  it('never lead an alert raised by the attack tool with a benign reason', async () => {
    const replayed = await replay(recording());
    const attacks = replayed.filter((r) => r.attack && r.alert);
    expect(attacks.length).toBeGreaterThanOrEqual(30);
    expect(attacks.filter((r) => r.alert!.severity === 'high').length).toBeGreaterThanOrEqual(10);
    expectNoBenignLead(attacks);
  });

  it('lead with the attack tool, not the Terraform deployment it follows', async () => {
    const replayed = await replay(withTerraformWarmUp(recording()));
    // The warm-up is a real deployment, and reads as one: the attack sits inside its burst.
    const deployments = replayed.filter((r) => r.warmUp && r.alert?.context.reason === 'deployment');
    expect(deployments.length).toBeGreaterThanOrEqual(100);
    const attacks = replayed.filter((r) => r.attack && r.alert);
    expect(attacks.length).toBeGreaterThanOrEqual(30);
    expectNoBenignLead(attacks);
    for (const { alert } of attacks) {
      const ctx = alert!.context;
      expect({ action: alert!.action, reason: ctx.reason }).toEqual({
        action: alert!.action,
        reason: expect.stringMatching(new RegExp(`^(${RISK_REASONS.join('|')})$`)),
      });
    }
    const stratus = attacks.filter((r) => r.event.userAgent?.startsWith('stratus-red-team_'));
    expect(stratus.length).toBeGreaterThan(0);
    for (const { alert, event } of stratus) {
      if (alert!.context.reason !== 'unusual-context') continue;
      expect(alert!.context.explanation).toContain(
        `from an unrecognised user agent \`${event.userAgent}\` this principal had not used before`,
      );
    }
  });
});
