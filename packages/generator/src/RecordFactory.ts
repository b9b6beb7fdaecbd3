import {
  type ActionSpec,
  BROWSER_USER_AGENT,
  benignError,
  CONSOLE_USER_AGENT,
  SDK_USER_AGENTS,
} from './catalog';
import { hashString, mix32, type Prng } from './prng';
import type { Account, CloudTrailRecord, Human, Organization, PrincipalProfile } from './types';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';
const OFFICE_IPS = ['203.0.113.10', '203.0.113.11', '203.0.113.12', '203.0.113.40'];

/** Deterministic id characters from a string (role ids, access key ids, task ids). */
export function idFrom(key: string, length: number, alphabet = UPPER_ALNUM): string {
  let h = hashString(key);
  let s = '';
  for (let i = 0; i < length; i++) {
    if (i % 4 === 0) h = mix32(h + i * 0x9e3779b9);
    s += alphabet[(h >>> ((i % 4) * 8)) % alphabet.length]!;
  }
  return s;
}

/** What a caller may override when building one record (anomalies). */
export interface RecordOverrides {
  sourceIPAddress?: string;
  userAgent?: string;
  error?: [code: string, message: string] | null;
  sessionName?: string;
  requestParameters?: Record<string, unknown> | null;
  human?: Human;
}

/** Per (principal, account) identity strings, computed once. */
interface IdentityBase {
  account: Account;
  /** Role name in this account (SSO roles carry a per-account suffix). */
  roleName: string;
  roleArn: string;
  roleId: string;
  userId: string;
  ipSubnet: string;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
let cachedDay = Number.NaN;
let cachedDayPrefix = '';

/** Second-resolution ISO time, `YYYY-MM-DDTHH:MM:SSZ` like CloudTrail's (hot path: no Date per call). */
export function isoSeconds(sec: number): string {
  const day = Math.floor(sec / 86_400);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  const s = sec - day * 86_400;
  return (
    cachedDayPrefix +
    TWO_DIGITS[(s / 3600) | 0]! +
    ':' +
    TWO_DIGITS[((s % 3600) / 60) | 0]! +
    ':' +
    TWO_DIGITS[s % 60]! +
    'Z'
  );
}

/** The per-session strings of an assumed role, shared by the calls of one session hour. */
interface SessionStrings {
  session: string;
  principalId: string;
  arn: string;
  accessKeyId: string;
  creationDate: string;
}

/**
 * Builds CloudTrail records for an organization's principals. Kept allocation-light: only the
 * record itself is allocated per event; identity strings are computed once per principal and account.
 */
export class RecordFactory {
  private readonly identities: IdentityBase[][];
  private sessionHour = -1;
  private readonly sessions = new Map<string | number, SessionStrings>();

  constructor(private readonly org: Organization) {
    this.identities = org.principals.map((p) => p.accounts.map((a) => this.identityBase(p, a)));
  }

  /**
   * One record: principal `p` in its `accountIdx`-th account calls `spec` (its `actionIdx`-th
   * action, or -1 for an action outside its set) in `region` at epoch second `sec`.
   */
  build(
    p: PrincipalProfile,
    accountIdx: number,
    region: string,
    actionIdx: number,
    spec: ActionSpec,
    sec: number,
    rng: Prng,
    o?: RecordOverrides,
  ): CloudTrailRecord {
    const base = this.identities[p.index]![accountIdx]!;
    const accountId = base.account.id;
    const human = o?.human ?? (p.humans.length > 0 ? p.humans[rng.int(p.humans.length)]! : undefined);
    const eventTime = this.iso(sec);
    const consoleLogin = spec.eventName === 'ConsoleLogin';
    const userIdentity = this.userIdentity(p, base, sec, human, o?.sessionName);

    const sourceIPAddress = o?.sourceIPAddress ?? this.sourceIp(p, base, region, human, rng);
    const userAgent = o?.userAgent ?? this.userAgent(p, actionIdx, spec, human, consoleLogin);
    const record: CloudTrailRecord = {
      eventVersion: spec.data ? '1.09' : '1.10',
      userIdentity,
      eventTime,
      eventSource: spec.eventSource,
      eventName: spec.eventName,
      awsRegion: region,
      sourceIPAddress,
      userAgent,
      requestParameters: null,
      responseElements: null,
      requestID: '',
      eventID: '',
      readOnly: spec.readOnly,
      eventType: consoleLogin ? 'AwsConsoleSignIn' : 'AwsApiCall',
      managementEvent: !spec.data,
      recipientAccountId: accountId,
      eventCategory: spec.data ? 'Data' : 'Management',
    };
    const error =
      o?.error !== undefined ? o.error : rng.chance(p.errorRate) && !consoleLogin ? benignError(spec) : null;
    if (error) {
      record.errorCode = error[0];
      record.errorMessage = error[1];
    }
    record.requestParameters =
      o?.requestParameters !== undefined
        ? o.requestParameters
        : requestParameters(p, spec, base, region, rng);
    if (consoleLogin) {
      record.responseElements = { ConsoleLogin: 'Success' };
      record.additionalEventData = {
        LoginTo: 'https://console.aws.amazon.com/console/home',
        MobileVersion: 'No',
        MFAUsed: 'Yes',
      };
    } else if (p.kind === 'aws-service') {
      record.sharedEventID = rng.uuid();
    } else if (!p.humans.length || human?.client === 'cli' || p.language) {
      record.tlsDetails = {
        tlsVersion: 'TLSv1.3',
        cipherSuite: 'TLS_AES_128_GCM_SHA256',
        clientProvidedHostHeader: `${spec.service}.${region}.amazonaws.com`,
      };
    }
    record.requestID = rng.uuid();
    record.eventID = rng.uuid();
    return record;
  }

  private iso(sec: number): string {
    return isoSeconds(sec);
  }

  /** Session strings, memoised for the current hour only (so memory stays constant). */
  private sessionStrings(
    p: PrincipalProfile,
    base: IdentityBase,
    sec: number,
    human: Human | undefined,
    sessionOverride: string | undefined,
  ): SessionStrings {
    const hourStart = Math.floor(sec / 3600) * 3600;
    if (hourStart !== this.sessionHour) {
      this.sessions.clear();
      this.sessionHour = hourStart;
    }
    const key =
      sessionOverride === undefined
        ? ((p.index * 64 + p.accounts.indexOf(base.account)) * 64 +
            (human ? p.humans.indexOf(human) + 1 : 0)) *
            24 +
          (((sec / 3600) | 0) % 24)
        : `${base.roleArn}|${sessionOverride}`;
    let s = this.sessions.get(key);
    if (!s) {
      const session = sessionOverride ?? this.sessionName(p, base, sec, human);
      const accountId = base.account.id;
      s = {
        session,
        principalId: `${base.roleId}:${session}`,
        arn: `arn:aws:sts::${accountId}:assumed-role/${base.roleName}/${session}`,
        accessKeyId: `ASIA${idFrom(`${base.roleArn}|${session}|${hourStart}`, 16)}`,
        creationDate: this.iso(hourStart),
      };
      this.sessions.set(key, s);
    }
    return s;
  }

  private identityBase(p: PrincipalProfile, a: Account): IdentityBase {
    const roleName =
      p.kind === 'sso' ? `AWSReservedSSO_${p.name}_${idFrom(`${p.name}|${a.id}`, 16, HEX)}` : p.name;
    const path = p.path;
    const h = hashString(`${p.name}|${a.id}|subnet`);
    return {
      account: a,
      roleName,
      roleArn: `arn:aws:iam::${a.id}:role${path}${roleName}`,
      roleId: `AROA${idFrom(`${roleName}|${a.id}|role`, 17)}`,
      userId: `AIDA${idFrom(`${p.name}|${a.id}|user`, 17)}`,
      ipSubnet: `10.${a.vpcOctet + (h & 3)}.${((h >>> 8) % 200) + 16}.`,
    };
  }

  /** The role session name a principal's calls carry at a given time. */
  sessionName(p: PrincipalProfile, base: IdentityBase, sec: number, human: Human | undefined): string {
    if (human) return p.kind === 'sso' ? human.email : human.name;
    switch (p.workload) {
      case 'lambda-fn':
        return p.name;
      case 'deploy':
        return 'GitHubActions';
      case 'iac':
        return `terraform-${idFrom(`${p.name}|${Math.floor(sec / 3600)}`, 8, HEX)}`;
      case 'monitoring':
        return 'DatadogAWSIntegration';
      case 'eks-controller':
        return `${Math.floor(sec / 3600) * 3600}${idFrom(`${p.name}|${base.account.id}|${Math.floor(sec / 3600)}`, 9, '0123456789')}`;
      case 'security-scanner':
        return 'CloudCustodian';
      case 'backup':
        return 'backup-runner';
      case 'service-linked':
        return p.name.replace('AWSServiceRoleFor', '');
      default:
        // ECS tasks: a task id, replaced every six hours.
        return idFrom(`${p.name}|${base.account.id}|${Math.floor(sec / 21600)}`, 32, HEX);
    }
  }

  private userIdentity(
    p: PrincipalProfile,
    base: IdentityBase,
    sec: number,
    human: Human | undefined,
    sessionOverride: string | undefined,
  ): Record<string, unknown> {
    const accountId = base.account.id;
    const hourStart = Math.floor(sec / 3600) * 3600;
    switch (p.kind) {
      case 'iam-user':
        return {
          type: 'IAMUser',
          principalId: base.userId,
          arn: `arn:aws:iam::${accountId}:user/${p.name}`,
          accountId,
          accessKeyId: `AKIA${idFrom(`${p.name}|${accountId}|key`, 16)}`,
          userName: p.name,
        };
      case 'root':
        return {
          type: 'Root',
          principalId: accountId,
          arn: `arn:aws:iam::${accountId}:root`,
          accountId,
          accessKeyId: `ASIA${idFrom(`root|${accountId}|${hourStart}`, 16)}`,
          sessionContext: {
            attributes: { creationDate: this.iso(hourStart), mfaAuthenticated: 'true' },
          },
        };
      case 'aws-service':
        return { type: 'AWSService', invokedBy: p.name };
      default: {
        const s = this.sessionStrings(p, base, sec, human, sessionOverride);
        return {
          type: 'AssumedRole',
          principalId: s.principalId,
          arn: s.arn,
          accountId,
          accessKeyId: s.accessKeyId,
          sessionContext: {
            sessionIssuer: {
              type: 'Role',
              principalId: base.roleId,
              arn: base.roleArn,
              accountId,
              userName: base.roleName,
            },
            attributes: { creationDate: s.creationDate, mfaAuthenticated: 'false' },
          },
        };
      }
    }
  }

  private sourceIp(
    p: PrincipalProfile,
    base: IdentityBase,
    region: string,
    human: Human | undefined,
    rng: Prng,
  ): string {
    switch (p.network) {
      case 'private':
        return base.ipSubnet + (4 + rng.int(24));
      case 'nat': {
        const ips = this.org.natIps.get(base.account.id)!;
        return ips[rng.int(ips.length)]!;
      }
      case 'lambda': {
        const h = hashString(`${p.name}|${region}`);
        return `${[3, 18, 34, 44, 52, 54][h % 6]}.${(h >>> 8) & 255}.${(h >>> 16) & 255}.${1 + rng.int(254)}`;
      }
      case 'ci': {
        const h = hashString(p.name);
        const k = rng.int(24);
        return `${[4, 13, 20, 40, 52][k % 5]}.${(h + k * 37) & 255}.${((h >>> 8) + k * 11) & 255}.${1 + (((h >>> 16) + k * 29) % 254)}`;
      }
      case 'saas':
        return `3.233.${146 + rng.int(4)}.${20 + rng.int(8)}`;
      case 'human':
        return human && rng.chance(0.35) ? human.homeIp : OFFICE_IPS[rng.int(OFFICE_IPS.length)]!;
      default:
        return p.kind === 'service-linked' ? `${p.path.split('/')[2]}` : p.name;
    }
  }

  private userAgent(
    p: PrincipalProfile,
    actionIdx: number,
    spec: ActionSpec,
    human: Human | undefined,
    consoleLogin: boolean,
  ): string {
    if (consoleLogin) return BROWSER_USER_AGENT;
    if (p.userAgents)
      return p.userAgents[actionIdx] ?? SDK_USER_AGENTS[p.language ?? 'node'](spec.service, 30);
    if (human)
      return human.client === 'cli' ? `${human.cliPrefix} md/command#${spec.cliCommand}` : CONSOLE_USER_AGENT;
    if (p.kind === 'root') return CONSOLE_USER_AGENT;
    return p.kind === 'service-linked' ? `${p.path.split('/')[2]}` : p.name;
  }
}

/** Small, plausible requestParameters per service (null where the real call has none). */
function requestParameters(
  p: PrincipalProfile,
  spec: ActionSpec,
  base: IdentityBase,
  region: string,
  rng: Prng,
): Record<string, unknown> | null {
  const acct = base.account.id;
  const app = p.name;
  switch (spec.service) {
    case 's3':
      return spec.eventName === 'ListBuckets'
        ? null
        : spec.eventName.endsWith('Object')
          ? { bucketName: `${app}-${acct}-${region}`, key: `data/${rng.int(100000)}.json` }
          : { bucketName: `${app}-${acct}-${region}` };
    case 'dynamodb':
      return { tableName: `${app}-table` };
    case 'sqs':
      return { queueUrl: `https://sqs.${region}.amazonaws.com/${acct}/${app}-queue` };
    case 'kms':
      return spec.eventName === 'Decrypt'
        ? { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }
        : { keyId: `alias/${app}`, keySpec: 'AES_256' };
    case 'secretsmanager':
      return { secretId: `${app}/database` };
    case 'ssm':
      return spec.eventName.startsWith('GetParameter')
        ? { name: `/${app}/config`, withDecryption: true }
        : null;
    case 'sts':
      return spec.eventName === 'AssumeRole'
        ? {
            roleArn: `arn:aws:iam::${acct}:role/${app}-cross-account`,
            roleSessionName: app,
            durationSeconds: 3600,
          }
        : null;
    case 'sns':
      return { topicArn: `arn:aws:sns:${region}:${acct}:${app}-events` };
    case 'lambda':
      return spec.eventName.startsWith('List') ? null : { functionName: app };
    case 'ecs':
      return { cluster: `${base.account.name}-cluster`, services: [app] };
    default:
      return null;
  }
}
