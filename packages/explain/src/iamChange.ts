import type { ObservedEvent } from '@firstseen/core';
import { bounded } from './bounded';
import type { IamChange } from './types';
import { MAX_FACT_CHARS } from './types';

/** IAM calls that change a role's permissions or trust (requestParameters.roleName names it). */
export const ROLE_CHANGE_EVENTS: ReadonlySet<string> = new Set([
  'CreateRole',
  'AttachRolePolicy',
  'PutRolePolicy',
  'UpdateAssumeRolePolicy',
  'PutRolePermissionsBoundary',
  'DeleteRolePermissionsBoundary',
  'DetachRolePolicy',
  'DeleteRolePolicy',
]);

/** IAM calls that change a user's permissions (requestParameters.userName names it). */
export const USER_CHANGE_EVENTS: ReadonlySet<string> = new Set([
  'CreateUser',
  'AttachUserPolicy',
  'PutUserPolicy',
  'PutUserPermissionsBoundary',
  'DeleteUserPermissionsBoundary',
  'DetachUserPolicy',
  'DeleteUserPolicy',
  'AddUserToGroup',
]);

const SSO_ROLE = /^AWSReservedSSO_(.+)_[0-9a-fA-F]+$/;
// IAM's own name rules: letters, digits and +=,.@_- (paths are separate parameters).
const IAM_NAME = /^[\w+=,.@-]{1,128}$/;

/**
 * The permission change an event makes, with the principal it targets in the same canonical
 * form the engine uses (`role/<name>`, `sso/<permission set>`, `user/<account>/<name>`).
 * Undefined for any other event, a failed call, or a name IAM would not accept.
 */
export function iamChangeOf(event: ObservedEvent): IamChange | undefined {
  if (event.eventSource !== 'iam.amazonaws.com' || event.failed) return undefined;
  const params = event.record['requestParameters'];
  if (params === null || typeof params !== 'object') return undefined;
  const p = params as Record<string, unknown>;
  let target: string | undefined;
  if (ROLE_CHANGE_EVENTS.has(event.eventName)) {
    const name = p['roleName'];
    if (typeof name !== 'string' || !IAM_NAME.test(name)) return undefined;
    const sso = SSO_ROLE.exec(name);
    target = sso ? `sso/${sso[1]}` : `role/${name}`;
  } else if (USER_CHANGE_EVENTS.has(event.eventName)) {
    const name = p['userName'];
    if (typeof name !== 'string' || !IAM_NAME.test(name)) return undefined;
    target = `user/${event.account}/${name}`;
  } else {
    return undefined;
  }
  const change: IamChange = {
    target,
    eventName: event.eventName,
    eventId: bounded(event.eventId, MAX_FACT_CHARS),
    time: event.time,
    eventTime: bounded(event.eventTime, 60),
    actor: bounded(event.principal, MAX_FACT_CHARS),
  };
  if (event.sessionName) change.actorSessionName = bounded(event.sessionName, MAX_FACT_CHARS);
  if (event.sourceIdentity) change.actorSourceIdentity = bounded(event.sourceIdentity, MAX_FACT_CHARS);
  const policy = p['policyArn'] ?? p['policyName'];
  if (typeof policy === 'string' && policy !== '') change.policy = bounded(policy, MAX_FACT_CHARS);
  return change;
}
