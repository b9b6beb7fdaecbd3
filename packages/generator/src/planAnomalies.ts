import { DEFAULT_SENSITIVE_ACTIONS, type Level, offensiveUserAgent, type Severity } from '@firstseen/core';
import {
  type ActionSpec,
  ATTACK_TOOL_USER_AGENT,
  ATTACKER_USER_AGENT,
  accessDenied,
  action,
  CDK_USER_AGENT,
  RARE_ACTIONS,
  UNUSED_REGIONS,
} from './catalog';
import { GeneratorOptionsError } from './errors';
import { Prng } from './prng';
import { RecordFactory, type RecordOverrides } from './RecordFactory';
import {
  type AnomalyPlan,
  type CloudTrailRecord,
  type ExpectedAlert,
  type GroundTruthEntry,
  type Organization,
  type PrincipalProfile,
  RESOURCE_SCENARIOS,
  SCENARIO_NAMES,
  SCENARIOS,
  type ScenarioName,
  type TimedRecord,
} from './types';

export interface AnomalyOptions {
  /** Start of the history. */
  start: Date | number;
  /** Start of the live period: every alerting anomaly falls in [liveStart, end). */
  liveStart: Date | number;
  /** End of the live period (exclusive). */
  end: Date | number;
  /** Which scenarios to inject (default 'all': every scenario the periods can hold). */
  scenarios?: 'all' | readonly ScenarioName[];
  /** The detector's windowDays the window-return scenario must exceed (default 90). */
  windowDays?: number;
  /**
   * The detector runs with `levels.resource` on (default false): 'all' adds the exfiltration
   * scenario, and every injected S3 record naming a bucket gets a history record touching that
   * bucket, so the level fires only where a scenario expects it.
   */
  resourceLevel?: boolean;
}

const ALL_KEYS: Level[] = ['account', 'role', 'region'];
const SENSITIVE = new Set(DEFAULT_SENSITIVE_ACTIONS);
const DAY = 86_400;

/** Severity under the default severity rules (docs/semantics.md "Policy and the alert"). */
export function expectedSeverity(
  principal: string,
  actionName: string,
  levels: Level[],
  firstSuccessAfterFailure = false,
  userAgent?: string,
): Severity {
  if (SENSITIVE.has(actionName) || principal.startsWith('root/')) return 'high';
  // The default `offensive-user-agent` rule (the explain-dependent burst rule needs no case: the
  // engine that checks these expectations runs without explanations).
  if (offensiveUserAgent(userAgent) !== undefined) return 'high';
  if (levels.includes('role') || firstSuccessAfterFailure) return 'medium';
  return 'low';
}

interface Context {
  org: Organization;
  rng: Prng;
  factory: RecordFactory;
  start: number;
  liveStart: number;
  end: number;
  /** Time of the scenario in the live period (epoch seconds). */
  at: number;
  /** Seconds until the next scenario's slot. */
  gap: number;
  windowDays: number;
  resourceLevel: boolean;
  takeRole: (pred?: (p: PrincipalProfile) => boolean) => PrincipalProfile;
}

interface Built {
  events: TimedRecord[];
  truth: GroundTruthEntry;
}

class Infeasible extends Error {}

function toSec(t: Date | number): number {
  return Math.ceil((typeof t === 'number' ? t : t.getTime()) / 1000);
}

/**
 * Plans the injected anomalies and their ground truth: which records to add (setup records in
 * the history, anomalies in the live period) and which of them must alert at which levels.
 * Deterministic for an organization and options; `generateEvents` merges the records in.
 *
 * Expected levels follow docs/semantics.md under the default configuration (every level on,
 * windowDays 90, retentionDays 400), given that the history before `liveStart` has been seen.
 */
export function planAnomalies(org: Organization, options: AnomalyOptions): AnomalyPlan {
  const start = toSec(options.start);
  const liveStart = toSec(options.liveStart);
  const end = toSec(options.end);
  if (!(Number.isFinite(start) && Number.isFinite(liveStart) && Number.isFinite(end))) {
    throw new GeneratorOptionsError('anomalies: start, liveStart and end must be valid dates');
  }
  if (!(start <= liveStart && liveStart < end)) {
    throw new GeneratorOptionsError('anomalies: need start <= liveStart < end');
  }
  if (end - liveStart < 600) {
    throw new GeneratorOptionsError('anomalies: the live period must last at least 10 minutes');
  }
  const windowDays = options.windowDays ?? 90;
  const requested = options.scenarios ?? 'all';
  const resourceLevel = options.resourceLevel ?? false;
  const names: readonly ScenarioName[] =
    requested === 'all' ? (resourceLevel ? [...SCENARIOS, ...RESOURCE_SCENARIOS] : SCENARIOS) : requested;
  for (const n of names) {
    if (!SCENARIO_NAMES.includes(n)) {
      throw new GeneratorOptionsError(
        `unknown anomaly scenario '${n}' (known: ${SCENARIO_NAMES.join(', ')})`,
      );
    }
  }

  const rng = new Prng(org.seed, 'anomalies');
  const factory = new RecordFactory(org);
  const appRoles = rng.shuffle(org.principals.filter((p) => p.kind === 'app-role'));
  const used = new Set<number>();
  const takeRole = (pred: (p: PrincipalProfile) => boolean = () => true): PrincipalProfile => {
    const p = appRoles.find((r) => !used.has(r.index) && pred(r));
    if (!p) throw new Infeasible('no application role left that fits');
    used.add(p.index);
    return p;
  };

  const gap = Math.floor((end - liveStart) / (names.length + 2));
  const events: TimedRecord[] = [];
  const truth: GroundTruthEntry[] = [];
  const skipped: AnomalyPlan['skipped'] = [];
  names.forEach((name, i) => {
    const ctx: Context = {
      org,
      rng,
      factory,
      start,
      liveStart,
      end,
      at: liveStart + gap * (i + 1),
      gap,
      windowDays,
      resourceLevel,
      takeRole,
    };
    try {
      const built = BUILDERS[name](ctx);
      events.push(...built.events);
      truth.push(built.truth);
    } catch (err) {
      if (!(err instanceof Infeasible)) throw err;
      if (requested !== 'all') {
        throw new GeneratorOptionsError(`anomaly scenario '${name}' cannot be injected: ${err.message}`, {
          cause: err,
        });
      }
      skipped.push({ scenario: name, reason: err.message });
    }
  });
  events.sort((a, b) => a.time - b.time);
  return {
    events,
    truth,
    skipped,
    assumes: { windowDays, retentionDays: 400, levels: 'all', resource: resourceLevel },
  };
}

const GET_OBJECT = action('s3:GetObject!d');
/** What touches a bucket in the history for the resource level: an action no scenario injects. */
const TOUCH_BUCKET = action('s3:GetBucketLocation');

const BUILDERS: Record<ScenarioName, (ctx: Context) => Built> = {
  exfiltration: (ctx) => {
    if (!ctx.resourceLevel) throw new Infeasible('needs the resource level (resourceLevel: true)');
    const role = ctx.takeRole((p) => p.actions.some((a) => a.action === GET_OBJECT.action));
    const account = role.accounts[prodIndex(role)]!.id;
    const bucket = `finance-exports-${account}`;
    const story = new Story(
      ctx,
      'exfiltration',
      `stolen credentials of ${role.name}: GetObject, a call it always makes, on ${bucket}, a bucket it never touched`,
      role,
    );
    // The role's GetObject keys exist and are fresh in this account and region, whatever the
    // background drew: only the bucket is new.
    story.setup(GET_OBJECT, setupTime(ctx));
    story.malicious = true;
    // The role's own SDK user agent (credentials lifted from the instance and replayed with the
    // same tooling), from an address outside the organization: nothing but the bucket is new
    // to the levels, so `resource` alone fires, low severity by default.
    story.add(GET_OBJECT, ctx.at, ['resource'], {
      sourceIPAddress: `192.0.2.${ctx.rng.range(10, 250)}`,
      requestParameters: { bucketName: bucket, key: 'payroll/2025-12.csv' },
    });
    return story.done();
  },

  'new-action': (ctx) => {
    const role = ctx.takeRole((p) => notIn(p, RARE_ACTIONS.newAction!).length > 0);
    const spec = ctx.rng.pick(notIn(role, RARE_ACTIONS.newAction!));
    const story = new Story(
      ctx,
      'new-action',
      `${role.name} calls ${spec.eventName}, an API it never called`,
      role,
    );
    story.add(spec, ctx.at, ALL_KEYS);
    return story.done();
  },

  'new-region': (ctx) => {
    const role = ctx.takeRole((p) => p.actions.some((a) => !a.global));
    const spec = role.actions.find((a) => !a.global)!;
    const region = UNUSED_REGIONS[0]!;
    const story = new Story(
      ctx,
      'new-region',
      `${role.name} calls ${spec.eventName} in ${region}, a region it never used`,
      role,
      region,
    );
    // Make sure the account and role keys exist and are fresh, whatever the background drew.
    story.setup(spec, setupTime(ctx), role.regions[0]!);
    story.add(spec, ctx.at, ['region']);
    return story.done();
  },

  'window-return': (ctx) => {
    const role = ctx.takeRole((p) => notIn(p, RARE_ACTIONS.window!).length > 0);
    const spec = ctx.rng.pick(notIn(role, RARE_ACTIONS.window!));
    // The action is used on the first days of the history only, then returns live.
    const setups = [0, 1, 2]
      .map((k) => ctx.start + 3600 + k * (DAY + 3600))
      .filter((t) => t < ctx.liveStart && ctx.at - t > ctx.windowDays * DAY + 3600);
    if (setups.length === 0) {
      throw new Infeasible(
        `needs more than ${ctx.windowDays} days between the history's start and the anomaly`,
      );
    }
    const story = new Story(
      ctx,
      'window-return',
      `${role.name} calls ${spec.eventName} again after more than ${ctx.windowDays} days`,
      role,
    );
    for (const t of setups) story.setup(spec, t);
    story.add(spec, ctx.at, ['window']);
    return story.done();
  },

  'recon-burst': (ctx) => {
    const role = ctx.takeRole(
      (p) => notIn(p, RARE_ACTIONS.recon!).length >= 6 && notIn(p, RARE_ACTIONS.loot!).length > 0,
    );
    const story = new Story(
      ctx,
      'recon-burst',
      `stolen credentials of ${role.name}: a burst of denied discovery calls from an unknown address, then a successful one`,
      role,
    );
    story.malicious = true;
    const attacker: RecordOverrides = {
      sourceIPAddress: `192.0.2.${ctx.rng.range(10, 250)}`,
      userAgent: ATTACKER_USER_AGENT,
    };
    const step = Math.max(1, Math.min(6, Math.floor(ctx.gap / 16)));
    let t = ctx.at;
    const whoami = action('sts:GetCallerIdentity');
    if (notIn(role, [whoami]).length === 1) {
      story.add(whoami, t, ALL_KEYS, {
        ...attacker,
        userAgent: attacker.userAgent + 'sts.get-caller-identity',
      });
      t += step;
    }
    const recon = ctx.rng.sample(notIn(role, RARE_ACTIONS.recon!), 8);
    for (const spec of recon) {
      story.add(
        spec,
        t,
        ALL_KEYS,
        { ...attacker, userAgent: attacker.userAgent + spec.cliCommand },
        'denied',
      );
      t += step;
    }
    // A repeated denied call: its keys already exist and failed, so nothing fires.
    const again = recon[0]!;
    story.related(again, t, { ...attacker, userAgent: attacker.userAgent + again.cliCommand }, 'denied');
    t += step;
    const loot = ctx.rng.pick(notIn(role, RARE_ACTIONS.loot!));
    const lootUa = { ...attacker, userAgent: attacker.userAgent + loot.cliCommand };
    story.add(loot, t, ALL_KEYS, lootUa, 'denied');
    t += step;
    // The first success after denied calls fires every level again.
    story.add(loot, t, ALL_KEYS, lootUa, 'ok', true);
    return story.done();
  },

  'stop-logging': (ctx) => {
    const user = ctx.org.principals.find((p) => p.kind === 'iam-user' && p.name === 'legacy-ci');
    if (!user) throw new Infeasible('the organization has no legacy-ci IAM user');
    const spec = action('cloudtrail:StopLogging');
    const account = user.accounts[0]!.id;
    const story = new Story(ctx, 'stop-logging', `${user.name} stops CloudTrail logging`, user, 'us-east-1');
    story.malicious = true;
    story.add(spec, ctx.at, ALL_KEYS, {
      sourceIPAddress: `192.0.2.${ctx.rng.range(10, 250)}`,
      userAgent: ATTACKER_USER_AGENT + spec.cliCommand,
      requestParameters: { name: `arn:aws:cloudtrail:us-east-1:${account}:trail/management-events` },
    });
    return story.done();
  },

  'deployment-burst': (ctx) => {
    const role = platformPrincipal(ctx, 'terraform');
    const specs = ctx.rng.sample(notIn(role, DEPLOYMENT_ACTIONS), 4);
    const story = new Story(
      ctx,
      'deployment-burst',
      `a Terraform deployment by ${role.name}: ${specs.length} new actions within minutes`,
      role,
    );
    story.malicious = false;
    const deployer = story.warmUp();
    const step = Math.max(1, Math.min(20, Math.floor(ctx.gap / 8)));
    specs.forEach((spec, i) => {
      story.add(spec, ctx.at + i * step, ALL_KEYS, deployer);
    });
    return story.done();
  },

  'tool-after-deployment': (ctx) => {
    const role = platformPrincipal(ctx, 'github-actions-deploy');
    const deploy = ctx.rng.sample(notIn(role, DEPLOYMENT_ACTIONS), 3);
    const recon = ctx.rng.sample(notIn(role, RARE_ACTIONS.recon!), 3);
    const story = new Story(
      ctx,
      'tool-after-deployment',
      `a CDK deployment by ${role.name}, then its credentials used by an attack tool from an unknown address`,
      role,
    );
    const deployer = story.warmUp({ userAgent: CDK_USER_AGENT });
    const step = Math.max(1, Math.min(20, Math.floor(ctx.gap / 10)));
    let t = ctx.at;
    story.malicious = false;
    for (const spec of deploy) {
      story.add(spec, t, ALL_KEYS, deployer);
      t += step;
    }
    story.malicious = true;
    const attacker: RecordOverrides = {
      sourceIPAddress: `198.51.100.${ctx.rng.range(10, 250)}`,
      userAgent: ATTACK_TOOL_USER_AGENT,
    };
    for (const spec of recon) {
      story.add(spec, t, ALL_KEYS, attacker);
      t += step;
    }
    story.add(action('iam:CreateAccessKey'), t, ALL_KEYS, {
      ...attacker,
      requestParameters: { userName: 'legacy-ci' },
    });
    return story.done();
  },

  'stop-logging-in-deployment': (ctx) => {
    const user = platformPrincipal(ctx, 'terraform-bootstrap');
    const deploy = ctx.rng.sample(notIn(user, DEPLOYMENT_ACTIONS), 4);
    const story = new Story(
      ctx,
      'stop-logging-in-deployment',
      `${user.name} stops CloudTrail logging in the middle of a Terraform deployment, with the same tool and network`,
      user,
      'us-east-1',
    );
    const deployer = story.warmUp();
    const step = Math.max(1, Math.min(20, Math.floor(ctx.gap / 8)));
    const account = user.accounts[0]!.id;
    let t = ctx.at;
    deploy.forEach((spec, i) => {
      if (i === 2) {
        story.malicious = true;
        story.add(action('cloudtrail:StopLogging'), t, ALL_KEYS, {
          ...deployer,
          requestParameters: { name: `arn:aws:cloudtrail:us-east-1:${account}:trail/management-events` },
        });
        t += step;
      }
      story.malicious = false;
      story.add(spec, t, ALL_KEYS, deployer);
      t += step;
    });
    return story.done();
  },

  'self-granted-policy': (ctx) => {
    const user = platformPrincipal(ctx, 'backup-operator');
    const use = ctx.rng.pick(notIn(user, RARE_ACTIONS.loot!));
    const story = new Story(
      ctx,
      'self-granted-policy',
      `${user.name} attaches AdministratorAccess to itself, then calls ${use.eventName} for the first time`,
      user,
    );
    // Its usual tool and network: nothing but the self-granted policy gives it away.
    const usual = story.warmUp();
    story.malicious = true;
    story.add(action('iam:AttachUserPolicy'), ctx.at, ALL_KEYS, {
      ...usual,
      requestParameters: { userName: user.name, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    });
    story.add(use, ctx.at + Math.max(2, Math.min(120, Math.floor(ctx.gap / 3))), ALL_KEYS, usual);
    return story.done();
  },

  'iam-change-then-new-action': (ctx) => {
    const admin = ctx.org.principals.find((p) => p.kind === 'sso' && p.name === 'AdministratorAccess');
    if (!admin) throw new Infeasible('the organization has no AdministratorAccess permission set');
    const role = ctx.takeRole((p) => notIn(p, RARE_ACTIONS.iamChangeTarget!).length > 0);
    const spec = ctx.rng.pick(notIn(role, RARE_ACTIONS.iamChangeTarget!));
    const attach = action('iam:AttachRolePolicy');
    const account = role.accounts[prodIndex(role)]!;
    const adminAccount = admin.accounts.indexOf(account);
    if (adminAccount < 0) throw new Infeasible(`AdministratorAccess is not assigned in ${account.name}`);
    const human = admin.humans[0];
    const story = new Story(
      ctx,
      'iam-change-then-new-action',
      `an administrator attaches a policy to ${role.name}, which then calls ${spec.eventName} for the first time`,
      role,
    );
    story.malicious = false;
    // The administrator has attached policies in this account before (the change itself is
    // known), and makes this one in the same, usual context (tool and address).
    const before = story.setupAs(admin, adminAccount, attach, setupTime(ctx), 'us-east-1', {
      human,
      requestParameters: {
        roleName: 'github-actions-deploy',
        policyArn: 'arn:aws:iam::aws:policy/AmazonECS_FullAccess',
      },
    });
    story.relatedAs(admin, adminAccount, attach, ctx.at, 'us-east-1', {
      human,
      sourceIPAddress: String(before.sourceIPAddress),
      userAgent: String(before.userAgent),
      requestParameters: { roleName: role.name, policyArn: 'arn:aws:iam::aws:policy/AmazonSQSFullAccess' },
    });
    story.add(spec, ctx.at + Math.max(2, Math.min(300, Math.floor(ctx.gap / 2))), ALL_KEYS);
    return story.done();
  },
};

// The deployment scenarios' new actions: ordinary ones, so that a real deployment reads as one.
const DEPLOYMENT_ACTIONS = RARE_ACTIONS.deployment!.filter((a) => !SENSITIVE.has(a.action));

/** A named platform role or IAM user of the organization (the deployment scenarios' actors). */
function platformPrincipal(ctx: Context, name: string): PrincipalProfile {
  const p = ctx.org.principals.find(
    (x) => (x.kind === 'platform-role' || x.kind === 'iam-user') && x.name === name,
  );
  if (!p) throw new Infeasible(`the organization has no ${name}`);
  return p;
}

function notIn(p: PrincipalProfile, candidates: readonly ActionSpec[]): ActionSpec[] {
  const known = new Set(p.actions.map((a) => a.action));
  return candidates.filter((c) => !known.has(c.action));
}

function prodIndex(p: PrincipalProfile): number {
  const i = p.accounts.findIndex((a) => a.env === 'prod');
  return Math.max(i, 0);
}

/** When setup records go: two days before the live period, or early in a shorter history. */
function setupTime(ctx: Context): number {
  if (ctx.liveStart - ctx.start < 300) throw new Infeasible('needs a history of at least 5 minutes');
  return Math.max(ctx.start + 120, ctx.liveStart - 2 * DAY);
}

/** Collects one scenario's records and its ground truth. */
class Story {
  private readonly events: TimedRecord[] = [];
  private readonly expected: ExpectedAlert[] = [];
  private readonly relatedIds: string[] = [];
  private readonly actions: string[] = [];
  private readonly accountIdx: number;
  private readonly region: string;
  /** Ground truth of intent for the expected alerts added from now on (see ExpectedAlert). */
  malicious: boolean | undefined;

  constructor(
    private readonly ctx: Context,
    private readonly scenario: ScenarioName,
    private readonly label: string,
    private readonly p: PrincipalProfile,
    region?: string,
  ) {
    this.accountIdx = prodIndex(p);
    this.region = region ?? p.regions[0]!;
  }

  /** An injected record that must alert at `levels`. */
  add(
    spec: ActionSpec,
    time: number,
    levels: Level[],
    o: RecordOverrides = {},
    outcome: 'ok' | 'denied' = 'ok',
    firstSuccessAfterFailure = false,
  ): void {
    if (time >= this.ctx.end) throw new Infeasible('the live period is too short');
    const r = this.record(
      this.p,
      this.accountIdx,
      spec,
      time,
      spec.global ? 'us-east-1' : this.region,
      o,
      outcome,
    );
    const e: ExpectedAlert = {
      eventId: r.eventID,
      eventTime: r.eventTime,
      action: spec.action,
      expectedLevels: levels,
      expectedSeverity: expectedSeverity(
        this.p.principal!,
        spec.action,
        levels,
        firstSuccessAfterFailure,
        typeof r.userAgent === 'string' ? r.userAgent : undefined,
      ),
    };
    if (typeof r.errorCode === 'string') e.errorCode = r.errorCode;
    if (firstSuccessAfterFailure) e.firstSuccessAfterFailure = true;
    if (this.malicious !== undefined) e.malicious = this.malicious;
    // With the resource level on, a bucket this story does not mean to be new is touched in the
    // history first (with an action no scenario injects), so it fires only where `levels` says so.
    const bucket = (r.requestParameters as { bucketName?: unknown } | null | undefined)?.bucketName;
    if (this.ctx.resourceLevel && !levels.includes('resource') && typeof bucket === 'string') {
      this.setupAs(this.p, this.accountIdx, TOUCH_BUCKET, setupTime(this.ctx), r.awsRegion as string, {
        requestParameters: { bucketName: bucket },
      });
    }
    this.expected.push(e);
    if (!this.actions.includes(spec.action)) this.actions.push(spec.action);
  }

  /** An injected live record that belongs to the story but must not alert. */
  related(spec: ActionSpec, time: number, o: RecordOverrides = {}, outcome: 'ok' | 'denied' = 'ok'): void {
    this.relatedAs(this.p, this.accountIdx, spec, time, spec.global ? 'us-east-1' : this.region, o, outcome);
  }

  relatedAs(
    p: PrincipalProfile,
    accountIdx: number,
    spec: ActionSpec,
    time: number,
    region: string,
    o: RecordOverrides = {},
    outcome: 'ok' | 'denied' = 'ok',
  ): void {
    if (time >= this.ctx.end) throw new Infeasible('the live period is too short');
    this.relatedIds.push(this.record(p, accountIdx, spec, time, region, o, outcome).eventID);
  }

  /** A history record that establishes what the scenario relies on. */
  setup(spec: ActionSpec, time: number, region?: string): void {
    this.setupAs(
      this.p,
      this.accountIdx,
      spec,
      time,
      spec.global ? 'us-east-1' : (region ?? this.p.regions[0]!),
    );
  }

  /**
   * History records (at the history's start, so that burn-in is over by the live period) of
   * the principal's own actions in its usual context (or with the tool `o` names),
   * establishing the user agent and network later calls use; returns the overrides that
   * reproduce that context.
   */
  warmUp(o: RecordOverrides = {}): RecordOverrides {
    setupTime(this.ctx); // the history must hold it
    const t = this.ctx.start + 120;
    const specs = this.p.actions.slice(0, 2);
    const first = this.record(this.p, this.accountIdx, specs[0]!, t, this.p.regions[0]!, o, 'ok');
    const context: RecordOverrides = { ...o, sourceIPAddress: String(first.sourceIPAddress) };
    if (o.userAgent === undefined) context.userAgent = String(first.userAgent);
    for (const [i, spec] of specs.slice(1).entries()) {
      this.record(this.p, this.accountIdx, spec, t + 60 * (i + 1), this.p.regions[0]!, context, 'ok');
    }
    return context;
  }

  setupAs(
    p: PrincipalProfile,
    accountIdx: number,
    spec: ActionSpec,
    time: number,
    region: string,
    o: RecordOverrides = {},
  ): CloudTrailRecord {
    return this.record(p, accountIdx, spec, time, region, o, 'ok');
  }

  private record(
    p: PrincipalProfile,
    accountIdx: number,
    spec: ActionSpec,
    time: number,
    region: string,
    o: RecordOverrides,
    outcome: 'ok' | 'denied',
  ): CloudTrailRecord {
    const actionIdx = p.actions.findIndex((a) => a.action === spec.action);
    const r = this.ctx.factory.build(p, accountIdx, region, actionIdx, spec, time, this.ctx.rng, {
      ...o,
      error: null,
    });
    if (outcome === 'denied') {
      const arn = String((r.userIdentity as { arn?: string }).arn);
      const [code, message] = accessDenied(spec, arn, '*');
      r.errorCode = code;
      r.errorMessage = message;
    }
    this.events.push({ time, record: r });
    return r;
  }

  done(): Built {
    const first = this.expected[0];
    return {
      events: this.events,
      truth: {
        scenario: this.scenario,
        label: this.label,
        principal: this.p.principal!,
        account: this.p.accounts[this.accountIdx]!.id,
        region: this.region,
        actions: this.actions,
        eventIds: this.expected.map((e) => e.eventId),
        expectedLevels: first ? first.expectedLevels : [],
        events: this.expected,
        relatedEventIds: this.relatedIds,
      },
    };
  }
}
