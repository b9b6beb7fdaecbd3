import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { fakeHandlersDir } from '../helpers/fakeHandlers';
import { byType, installMocks, settle } from '../helpers/pulumiMocks';

// The operator's documents against the program: every alarm the pipeline registers (under
// mocks) has a runbook entry in infra/README.md, and the root README's quick start deploys to
// the region the guide uses.
const registered = installMocks();
const INFRA_README = path.resolve(__dirname, '..', '..', 'README.md');
const ROOT_README = path.resolve(__dirname, '..', '..', '..', 'README.md');

/** The runbook's entries: each `####` heading of the Runbook section, with the alarm ids it names in backticks. */
function runbookEntries(markdown: string): { heading: string; ids: string[]; body: string }[] {
  const start = markdown.indexOf('\n### Runbook\n');
  if (start < 0) return [];
  const rest = markdown.slice(start + 1);
  const end = rest.slice(1).search(/\n#{2,3} /);
  const section = end < 0 ? rest : rest.slice(0, end + 1);
  return section
    .split(/\n(?=#### )/)
    .slice(1)
    .map((chunk) => {
      const [heading = '', ...body] = chunk.split('\n');
      return { heading, ids: [...heading.matchAll(/`([^`]+)`/g)].map((m) => m[1]!), body: body.join('\n') };
    });
}

let alarmIds: string[] = [];

beforeAll(async () => {
  const { FirstseenPipeline } = await import('../../src/FirstseenPipeline');
  const { parseConfig } = await import('@firstseen/core');
  new FirstseenPipeline('ops', {
    orgId: 'o-abcdefghij',
    // Interactive Slack, so that the triage function and its alarms are created too.
    config: parseConfig({
      routing: {
        destinations: {
          slack: { type: 'slack', interactive: true, teamIds: ['T0FIRSTSEEN'], appId: 'A0FIRSTSEEN' },
          pagerduty: { type: 'pagerduty' },
        },
      },
      // The trail feed, so that the trail reader and its queue alarms are created too.
      feed: 'both',
    }),
    handlersDir: fakeHandlersDir(),
    trail: { bucketName: 'org-trail', bucketAccountId: '999988887777', notification: 's3' },
  });
  await settle();
  alarmIds = byType(registered, 'aws:cloudwatch/metricAlarm:MetricAlarm')
    .map((a) => String(a.inputs['name']).replace(/^firstseen-/, ''))
    .sort();
});

describe('the runbook', () => {
  const entries = runbookEntries(fs.readFileSync(INFRA_README, 'utf8'));

  it('has an entry for every alarm the program creates', () => {
    expect(alarmIds.length).toBeGreaterThanOrEqual(16);
    const documented = new Set(entries.flatMap((e) => e.ids));
    expect(alarmIds.filter((id) => !documented.has(id))).toEqual([]);
  });

  it('has no entry for an alarm the program does not create', () => {
    expect(entries.flatMap((e) => e.ids).filter((id) => !alarmIds.includes(id))).toEqual([]);
  });

  it('says for each entry what it means, three first checks and how to recover', () => {
    for (const e of entries) {
      expect({ heading: e.heading, ok: /\*\*Means\*\*/.test(e.body) }).toEqual({
        heading: e.heading,
        ok: true,
      });
      expect({ heading: e.heading, ok: /\*\*Check\*\*:[\s\S]*1\.[\s\S]*2\.[\s\S]*3\./.test(e.body) }).toEqual(
        {
          heading: e.heading,
          ok: true,
        },
      );
      expect({ heading: e.heading, ok: /\*\*Recover\*\*/.test(e.body) }).toEqual({
        heading: e.heading,
        ok: true,
      });
    }
  });

  it('notices an alarm without an entry', () => {
    const trimmed = runbookEntries(
      fs.readFileSync(INFRA_README, 'utf8').replace(/#### `to-stream-dlq`/, '#### the queue'),
    );
    const documented = new Set(trimmed.flatMap((e) => e.ids));
    expect(alarmIds.filter((id) => !documented.has(id))).toEqual(['to-stream-dlq']);
  });
});

describe('the Pulumi CLI range', () => {
  it('starts at the SDK version the tests run and stays within its major version', () => {
    const project = yaml.load(
      fs.readFileSync(path.resolve(__dirname, '..', '..', 'Pulumi.yaml'), 'utf8'),
    ) as {
      requiredPulumiVersion?: string;
    };
    const sdk = (require('@pulumi/pulumi/package.json') as { version: string }).version;
    expect(project.requiredPulumiVersion).toBe(`>=${sdk} <${Number(sdk.split('.')[0]) + 1}.0.0`);
    expect(fs.readFileSync(INFRA_README, 'utf8')).toContain(`\`@pulumi/pulumi\` ${sdk}`);
  });
});

describe('the quick start', () => {
  it('deploys to the region the guide uses', () => {
    const region = (file: string) =>
      /pulumi config set aws:region (\S+?)`?\s/.exec(fs.readFileSync(file, 'utf8'))?.[1];
    expect(region(INFRA_README)).toBeDefined();
    expect(region(ROOT_README)).toBe(region(INFRA_README));
  });
});
