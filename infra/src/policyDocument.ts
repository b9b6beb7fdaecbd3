import * as pulumi from '@pulumi/pulumi';

/** An IAM policy statement whose ARNs may still be pending; rendered with `policyJson`. */
export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: pulumi.Input<Record<string, pulumi.Input<string | pulumi.Input<string>[]>> | '*'>;
  Action: string | string[];
  /** Absent only in trust policies. */
  Resource?: pulumi.Input<string> | pulumi.Input<string>[];
  Condition?: pulumi.Input<Record<string, Record<string, pulumi.Input<string | string[] | boolean>>>>;
}

/** Renders a policy document as JSON once every ARN in it is known. */
export function policyJson(statements: pulumi.Input<Statement>[]): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: '2012-10-17', Statement: statements });
}

/** The trust policy that lets one AWS service assume a role, from this account only. */
export function assumeRolePolicy(
  service: string,
  sourceAccount: pulumi.Input<string>,
): pulumi.Output<string> {
  return policyJson([
    {
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': sourceAccount } },
    },
  ]);
}
