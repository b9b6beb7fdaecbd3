import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import type { FirstseenFunction } from '../FirstseenFunction';

export interface ScheduledFunction {
  /** Names the rule, its permission and target: `<name>-<fnName>-schedule`. */
  fnName: string;
  fn: FirstseenFunction;
  /** An EventBridge schedule expression, e.g. `rate(15 minutes)`. */
  schedule: string;
}

/** An EventBridge schedule rule per function, allowed to invoke it. */
export function createSchedules(
  name: string,
  prefix: string,
  scheduled: readonly ScheduledFunction[],
  parent: pulumi.ResourceOptions,
): void {
  for (const { fnName, fn, schedule } of scheduled) {
    const rule = new aws.cloudwatch.EventRule(
      `${name}-${fnName}-schedule`,
      {
        name: `${prefix}-${fnName}-schedule`,
        scheduleExpression: schedule,
        description: `firstseen: runs ${fnName}`,
      },
      parent,
    );
    new aws.lambda.Permission(
      `${name}-${fnName}-schedule-permission`,
      {
        action: 'lambda:InvokeFunction',
        function: fn.function.name,
        principal: 'events.amazonaws.com',
        sourceArn: rule.arn,
      },
      parent,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-${fnName}-schedule-target`,
      { rule: rule.name, targetId: fnName, arn: fn.function.arn },
      parent,
    );
  }
}
