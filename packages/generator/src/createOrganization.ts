import {
  type ActionSpec,
  APP_NAMES,
  cliUserAgentPrefix,
  HUMAN_NAMES,
  ORG_REGIONS,
  SDK_USER_AGENTS,
  type SdkLanguage,
  WORKLOADS,
  type WorkloadKind,
} from './catalog';
import { GeneratorOptionsError } from './errors';
import { cumulative, Prng, zipfCumulative } from './prng';
import type {
  Account,
  AccountEnv,
  Human,
  Network,
  Organization,
  PrincipalKind,
  PrincipalProfile,
  Rhythm,
} from './types';

export interface OrganizationOptions {
  seed: number | string;
  /** Number of AWS accounts (3..40, default 6: prod, dev, management, staging, security, shared-services). */
  accounts?: number;
  /** Number of applications, each one role name used in every workload account (default 26). */
  apps?: number;
  /** E-mail domain of the people behind Identity Center sessions (default example.com). */
  domain?: string;
}

/** Zipf exponent of each principal's action frequencies: the top action takes roughly a third. */
const ACTION_ZIPF = 1.15;

const ACCOUNT_ORDER: [string, AccountEnv][] = [
  ['prod', 'prod'],
  ['dev', 'dev'],
  ['management', 'management'],
  ['staging', 'staging'],
  ['security', 'security'],
  ['shared-services', 'shared-services'],
  ['sandbox', 'sandbox'],
  ['data-prod', 'data'],
];

const ENV_SHARE: Partial<Record<AccountEnv, number>> = {
  prod: 6,
  data: 4,
  staging: 2.5,
  dev: 1.5,
  sandbox: 0.5,
};

/**
 * A deterministic organization: the same options always give the same accounts, principals,
 * regions, actions, user agents and networks.
 */
export function createOrganization(options: OrganizationOptions): Organization {
  const seed = String(options.seed);
  const accountCount = options.accounts ?? 6;
  const appCount = options.apps ?? 26;
  const domain = options.domain ?? 'example.com';
  if (!Number.isInteger(accountCount) || accountCount < 3 || accountCount > 40) {
    throw new GeneratorOptionsError(`accounts must be an integer from 3 to 40, got ${accountCount}`);
  }
  if (!Number.isInteger(appCount) || appCount < 5 || appCount > 500) {
    throw new GeneratorOptionsError(`apps must be an integer from 5 to 500, got ${appCount}`);
  }
  const rng = new Prng(seed, 'organization');
  const accounts = makeAccounts(rng, accountCount);
  const byEnv = (envs: AccountEnv[]) => accounts.filter((a) => envs.includes(a.env));
  const workloadAccounts = byEnv(['prod', 'staging', 'dev', 'data', 'sandbox']);
  const management = byEnv(['management'])[0] ?? accounts[0]!;
  const prod = byEnv(['prod'])[0]!;
  const dev = byEnv(['dev'])[0]!;
  const shared = byEnv(['shared-services'])[0] ?? management;

  const natIps = new Map<string, string[]>();
  for (const a of accounts) natIps.set(a.id, [awsPublicIp(rng), awsPublicIp(rng), awsPublicIp(rng)]);

  const principals: PrincipalProfile[] = [];
  const humansByName = new Map<string, Human>();
  const human = (name: string): Human => {
    let h = humansByName.get(name);
    if (!h) {
      const os = rng.pick(['darwin', 'darwin', 'linux', 'windows'] as const);
      h = {
        name,
        email: `${name}@${domain}`,
        client: rng.chance(0.5) ? 'console' : 'cli',
        cliPrefix: cliUserAgentPrefix(rng.range(1, 40), os),
        homeIp: `198.51.100.${rng.range(2, 254)}`,
      };
      humansByName.set(name, h);
    }
    return h;
  };

  const add = (p: {
    kind: PrincipalKind;
    workload: WorkloadKind;
    name: string;
    principal: string | undefined;
    path?: string;
    rhythm: Rhythm;
    weight: number;
    accounts: Account[];
    accountShares?: number[];
    language?: SdkLanguage;
    network: Network;
    humans?: Human[];
    regions?: string[];
    secondaryShare?: number;
    errorRate?: number;
    utcOffsetHours?: number;
  }) => {
    const actions = chooseActions(rng, p.workload);
    const regions = p.regions ?? chooseRegions(rng);
    const secondary = p.secondaryShare ?? 0.15;
    const regionShares = regions.map((_, i) => (i === 0 ? 1 - secondary : secondary / (regions.length - 1)));
    const language = p.language;
    principals.push({
      index: principals.length,
      principal: p.principal,
      kind: p.kind,
      workload: p.workload,
      name: p.name,
      path: p.path ?? '/',
      rhythm: p.rhythm,
      utcOffsetHours: p.utcOffsetHours ?? 0,
      weight: p.weight,
      accounts: p.accounts,
      accountWeights: cumulative(p.accountShares ?? p.accounts.map((a) => ENV_SHARE[a.env] ?? 1)),
      regions,
      regionWeights: cumulative(regionShares),
      actions,
      actionWeights: zipfCumulative(actions.length, ACTION_ZIPF),
      language,
      userAgents: language
        ? actions.map((a) => SDK_USER_AGENTS[language](a.service, rng.int(60)))
        : undefined,
      network: p.network,
      humans: p.humans ?? [],
      errorRate: p.errorRate ?? 0.004,
    });
  };

  // Applications: one role name in every workload account (`role/<app>` is one principal).
  for (let i = 0; i < appCount; i++) {
    const base = APP_NAMES[i % APP_NAMES.length]!;
    const name = i < APP_NAMES.length ? base : `${base}-${Math.floor(i / APP_NAMES.length) + 1}`;
    const workload = appWorkload(base, rng);
    const language: SdkLanguage =
      workload === 'worker'
        ? 'python'
        : workload === 'etl'
          ? rng.pick(['java', 'python'] as const)
          : workload === 'lambda-fn'
            ? rng.pick(['node', 'python'] as const)
            : rng.pick(['node', 'node', 'java', 'go'] as const);
    const network: Network = workload === 'lambda-fn' ? 'lambda' : rng.chance(0.6) ? 'private' : 'nat';
    const appAccounts = workload === 'etl' ? byEnv(['data', 'prod', 'dev']) : workloadAccounts;
    add({
      kind: 'app-role',
      workload,
      name,
      principal: `role/${name}`,
      path: rng.chance(0.35) ? '/service/' : '/',
      rhythm: workload === 'etl' ? 'batch' : 'service',
      // Zipf over applications: a few busy services, a long tail of quiet ones.
      weight: 1000 / (i + 1) ** 0.8,
      accounts: appAccounts.length > 0 ? appAccounts : [prod, dev],
      language,
      network,
    });
  }

  // Platform roles, present in every account they manage.
  const platform: [string, WorkloadKind, SdkLanguage, Network, Rhythm, number, Account[]][] = [
    ['github-actions-deploy', 'deploy', 'node', 'ci', 'human', 40, workloadAccounts],
    ['terraform', 'iac', 'terraform', 'ci', 'human', 60, accounts],
    ['datadog-integration', 'monitoring', 'python', 'saas', 'service', 220, accounts],
    ['karpenter', 'eks-controller', 'go', 'private', 'service', 80, byEnv(['prod', 'staging', 'dev'])],
    ['external-dns', 'eks-controller', 'go', 'private', 'service', 25, byEnv(['prod', 'staging', 'dev'])],
    [
      'aws-load-balancer-controller',
      'eks-controller',
      'go',
      'private',
      'service',
      35,
      byEnv(['prod', 'staging']),
    ],
    ['backup-runner', 'backup', 'python', 'private', 'batch', 12, byEnv(['prod', 'data'])],
    ['cloud-custodian', 'security-scanner', 'python', 'private', 'batch', 30, accounts],
  ];
  for (const [name, workload, language, network, rhythm, weight, accts] of platform) {
    add({
      kind: 'platform-role',
      workload,
      name,
      principal: `role/${name}`,
      path: name === 'karpenter' || name === 'external-dns' ? '/eks/' : '/',
      rhythm,
      weight,
      accounts: accts.length > 0 ? accts : [prod],
      language,
      network,
      regions: ['us-east-1', ...ORG_REGIONS.slice(1, 3)],
      secondaryShare: 0.3,
      errorRate: 0.006,
    });
  }
  add({
    kind: 'platform-role',
    workload: 'sso-admin',
    name: 'OrganizationAccountAccessRole',
    principal: 'role/OrganizationAccountAccessRole',
    rhythm: 'human',
    weight: 3,
    accounts: accounts.filter((a) => a !== management),
    network: 'human',
    humans: [human('alice'), human('bob')],
    regions: ['us-east-1', 'eu-west-1'],
    utcOffsetHours: -5,
  });

  // Identity Center permission sets: many people share one principal `sso/<set>`.
  const names = HUMAN_NAMES;
  const sso: [string, WorkloadKind, number, Account[], string[], number][] = [
    ['AdministratorAccess', 'sso-admin', 20, accounts, names.slice(0, 3), -5],
    ['Developer', 'sso-developer', 45, byEnv(['dev', 'staging', 'sandbox']), names.slice(3, 10), 1],
    ['PowerUserAccess', 'sso-developer', 15, byEnv(['prod', 'staging', 'data']), names.slice(9, 12), 1],
    ['ReadOnly_Dev', 'sso-readonly', 10, [dev], names.slice(12, 15), -5],
    ['ReadOnlyAccess', 'sso-readonly', 8, accounts, names.slice(13, 16), 0],
    ['SecurityAudit', 'sso-security', 10, accounts, names.slice(16, 18), 1],
    ['Billing', 'sso-billing', 2, [management], names.slice(18, 20), -5],
  ];
  for (const [set, workload, weight, accts, people, utcOffsetHours] of sso) {
    add({
      kind: 'sso',
      workload,
      name: set,
      principal: `sso/${set}`,
      path: '/aws-reserved/sso.amazonaws.com/',
      rhythm: 'human',
      weight,
      accounts: accts.length > 0 ? accts : [dev],
      network: 'human',
      humans: people.map(human),
      regions: ['us-east-1', 'eu-west-1'],
      secondaryShare: 0.25,
      errorRate: 0.01,
      utcOffsetHours,
    });
  }

  // A few long-lived IAM users (the kind every organization still has).
  const users: [string, WorkloadKind, Account, Network, number, SdkLanguage | undefined, Human[]][] = [
    ['legacy-ci', 'iam-user-ci', shared, 'ci', 12, 'python', []],
    ['ops-admin', 'iam-user-ops', prod, 'human', 3, undefined, [human('rupert')]],
    ['backup-operator', 'iam-user-ops', dev, 'human', 1.5, undefined, [human('trent')]],
    ['terraform-bootstrap', 'iac', management, 'ci', 1, 'terraform', []],
  ];
  for (const [name, workload, account, network, weight, language, people] of users) {
    add({
      kind: 'iam-user',
      workload,
      name,
      principal: `user/${account.id}/${name}`,
      rhythm: network === 'human' ? 'human' : 'service',
      weight,
      accounts: [account],
      language,
      network,
      humans: people,
      regions: ['us-east-1', 'eu-west-1'],
      utcOffsetHours: -5,
    });
  }

  // Root: rare, mostly the management account's.
  for (const a of accounts) {
    add({
      kind: 'root',
      workload: 'root',
      name: 'root',
      principal: `root/${a.id}`,
      rhythm: 'rare',
      weight: a === management ? 1 : 0.5,
      accounts: [a],
      network: 'human',
      humans: [human('alice')],
      regions: ['us-east-1'],
      errorRate: 0,
    });
  }

  // Ignored by design, present for realism: service-linked roles and AWS services.
  for (const svc of ['autoscaling', 'ecs', 'elasticloadbalancing']) {
    const roleName =
      svc === 'ecs'
        ? 'AWSServiceRoleForECS'
        : svc === 'autoscaling'
          ? 'AWSServiceRoleForAutoScaling'
          : 'AWSServiceRoleForElasticLoadBalancing';
    add({
      kind: 'service-linked',
      workload: 'service-linked',
      name: roleName,
      principal: undefined,
      path: `/aws-service-role/${svc}.amazonaws.com/`,
      rhythm: 'service',
      weight: 25,
      accounts: workloadAccounts.length > 0 ? workloadAccounts : [prod],
      network: 'aws-internal',
      errorRate: 0,
    });
  }
  for (const host of ['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com', 'cloudformation.amazonaws.com']) {
    add({
      kind: 'aws-service',
      workload: 'aws-service',
      name: host,
      principal: undefined,
      rhythm: 'service',
      weight: host === 'lambda.amazonaws.com' ? 60 : 25,
      accounts: workloadAccounts.length > 0 ? workloadAccounts : [prod],
      network: 'aws-internal',
      errorRate: 0,
    });
  }

  const observedPrincipals = principals.flatMap((p) => (p.principal ? [p.principal] : []));
  return { seed, domain, accounts, principals, natIps, observedPrincipals };
}

function makeAccounts(rng: Prng, n: number): Account[] {
  const ids = new Set<string>();
  const out: Account[] = [];
  for (let i = 0; i < n; i++) {
    let id: string;
    do id = String(rng.range(1, 9)) + String(rng.int(1e11)).padStart(11, '0');
    while (ids.has(id));
    ids.add(id);
    const [name, env] = ACCOUNT_ORDER[i] ?? [`workload-${i - ACCOUNT_ORDER.length + 1}`, 'prod'];
    out.push({ id, name, env, vpcOctet: 16 + i * 4 });
  }
  return out;
}

function appWorkload(name: string, rng: Prng): WorkloadKind {
  if (/-(api|web|service)$/.test(name)) return 'web-api';
  if (/-(worker|dispatcher|sender|warmer|indexer)$/.test(name)) return 'worker';
  if (/-(etl|compactor|exporter)$/.test(name)) return 'etl';
  return rng.chance(0.5) ? 'lambda-fn' : 'web-api';
}

/** Core actions plus a random part of the optional ones, in a random rank order. */
function chooseActions(rng: Prng, workload: WorkloadKind): ActionSpec[] {
  const { core, optional } = WORKLOADS[workload];
  const k = Math.round(optional.length * (0.3 + 0.5 * rng.next()));
  // Core actions take the top ranks (shuffled among themselves); optional ones the tail.
  return [...rng.shuffle(core), ...rng.sample(optional, k)];
}

function chooseRegions(rng: Prng): string[] {
  const u = rng.next();
  const primary = u < 0.5 ? 'us-east-1' : u < 0.85 ? 'eu-west-1' : 'us-west-2';
  const secondary = rng.pick(ORG_REGIONS.filter((r) => r !== primary));
  return [primary, secondary];
}

function awsPublicIp(rng: Prng): string {
  const first = rng.pick([3, 18, 34, 35, 44, 52, 54]);
  return `${first}.${rng.range(0, 255)}.${rng.range(0, 255)}.${rng.range(1, 254)}`;
}
