import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { z } from 'zod';

// infra/slack-app-manifest.yaml against the fields of Slack's app manifest reference
// (api.slack.com/reference/manifests; @slack/web-api's `Manifest` type has the same shape):
// strict objects, so a misspelt or misplaced field fails here rather than in Slack's importer.
const MANIFEST = path.resolve(__dirname, '..', '..', 'slack-app-manifest.yaml');
const url = z.string().regex(/^https:\/\/\S+$/);
const ManifestSchema = z
  .object({
    _metadata: z.object({ major_version: z.literal(1), minor_version: z.number().int() }).strict(),
    display_information: z
      .object({
        name: z.string().min(1).max(35),
        description: z.string().max(140).optional(),
        background_color: z
          .string()
          .regex(/^#[0-9a-fA-F]{6}$/)
          .optional(),
      })
      .strict(),
    features: z
      .object({
        bot_user: z.object({ display_name: z.string().min(1).max(80), always_online: z.boolean() }).strict(),
      })
      .strict(),
    oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()).min(1) }).strict() }).strict(),
    settings: z
      .object({
        interactivity: z.object({ is_enabled: z.literal(true), request_url: url }).strict(),
        event_subscriptions: z.never().optional(),
        org_deploy_enabled: z.boolean(),
        socket_mode_enabled: z.literal(false),
        token_rotation_enabled: z.boolean(),
      })
      .strict(),
  })
  .strict();

/** The placeholder the guide's sed replaces. */
const PLACEHOLDER = ['$', '{TRIAGE_URL}'].join('');
const TRIAGE_URL = 'https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws/';
const text = fs.readFileSync(MANIFEST, 'utf8');
// What the guide's `sed "s|\${TRIAGE_URL}|$(pulumi stack output triageUrl)|"` produces.
const filled = (): unknown => yaml.load(text.replaceAll(PLACEHOLDER, TRIAGE_URL));

describe('the Slack app manifest', () => {
  it('is a valid manifest once the stack output triageUrl is filled in', () => {
    const parsed = ManifestSchema.safeParse(filled());
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('takes its interactivity request URL from the stack output, never a hard-coded host', () => {
    expect(
      (yaml.load(text) as { settings: { interactivity: { request_url: string } } }).settings.interactivity,
    ).toEqual({ is_enabled: true, request_url: PLACEHOLDER });
    expect(fs.readFileSync(path.resolve(__dirname, '..', '..', 'index.ts'), 'utf8')).toMatch(
      /\btriageUrl: pipeline\.triageUrl\b/,
    );
  });

  it('asks for the scopes of both Slack modes and nothing else', () => {
    const { oauth_config } = filled() as { oauth_config: { scopes: { bot: string[] } } };
    // webhook mode: incoming-webhook; bot mode: chat.postMessage needs chat:write, and
    // chat:write.public lets it post to a public channel without an invitation; a thread
    // takeover reads conversations.history: channels:history (public) / groups:history (private).
    expect([...oauth_config.scopes.bot].sort()).toEqual([
      'channels:history',
      'chat:write',
      'chat:write.public',
      'groups:history',
      'incoming-webhook',
    ]);
  });

  it('subscribes to no events: button clicks arrive through interactivity', () => {
    expect((filled() as { settings: object }).settings).not.toHaveProperty('event_subscriptions');
  });

  it('notices a misplaced field and a request URL that is not https', () => {
    const bad = filled() as { settings: { interactivity: Record<string, unknown> } };
    bad.settings.interactivity['request_url'] = 'http://example.com';
    bad.settings.interactivity['bot_events'] = ['app_mention'];
    const parsed = ManifestSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'settings.interactivity',
      'settings.interactivity.request_url',
    ]);
  });
});
