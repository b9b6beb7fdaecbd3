/** The user agent families explanations tell apart. */
export type UserAgentFamily = 'aws-cli' | 'Boto3' | 'aws-sdk-js' | 'console' | 'Terraform' | 'other';

/**
 * The family of a CloudTrail userAgent. Order matters: Terraform embeds an SDK's agent, the
 * AWS CLI embeds botocore's. Undefined when there is no user agent to judge.
 */
export function userAgentFamily(userAgent: string | undefined): UserAgentFamily | undefined {
  if (userAgent === undefined || userAgent === '') return undefined;
  // Only the head matters and the value is attacker-controlled: never scan megabytes.
  const ua = userAgent.slice(0, 512);
  if (/terraform/i.test(ua)) return 'Terraform';
  if (/aws-cli\//i.test(ua)) return 'aws-cli';
  if (/boto3\/|botocore\//i.test(ua)) return 'Boto3';
  if (/aws-sdk-js|aws-sdk-nodejs/i.test(ua)) return 'aws-sdk-js';
  if (/console\.amazonaws\.com|signin\.amazonaws\.com|^Mozilla\//i.test(ua)) return 'console';
  return 'other';
}
