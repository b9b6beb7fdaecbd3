/** Deployment and infrastructure-as-code tools: a burst of their calls can read as a deployment. */
export const DEPLOYMENT_TOOL_FAMILIES = [
  'Terraform',
  'OpenTofu',
  'Pulumi',
  'CDK',
  'CloudFormation',
  'SAM',
  'Serverless',
  'Ansible',
  'CodeBuild',
  'CodePipeline',
  'CodeDeploy',
  'eksctl',
  'Copilot',
] as const;

export type DeploymentToolFamily = (typeof DEPLOYMENT_TOOL_FAMILIES)[number];

/**
 * The user agent families explanations tell apart. An agent none of them matches is
 * `other:<product>`, its leading product token (`other:stratus-red-team`), so that two different
 * unrecognised tools are two families.
 */
export type UserAgentFamily =
  | DeploymentToolFamily
  | 'aws-cli'
  | 'Boto3'
  | 'aws-sdk-js'
  | 'aws-sdk-java'
  | 'aws-sdk-go'
  | 'aws-sdk-dotnet'
  | 'aws-sdk-ruby'
  | 'aws-sdk-php'
  | 'aws-sdk-rust'
  | 'console'
  | 'AWS service'
  | `other:${string}`;

// Order matters: a deployment tool embeds an SDK's agent (Terraform and Pulumi Go's, CDK and
// Serverless JavaScript's, SAM and Ansible botocore's), the AWS CLI embeds botocore's, and the
// console's back ends embed Java's.
const RULES: readonly [RegExp, UserAgentFamily][] = [
  [/opentofu/i, 'OpenTofu'],
  [/terraform/i, 'Terraform'],
  [/pulumi/i, 'Pulumi'],
  [/aws-cdk|\bcdk\//i, 'CDK'],
  [/^cloudformation\.amazonaws\.com$|aws-cloudformation/i, 'CloudFormation'],
  [/aws-sam-cli|\bsam-cli\//i, 'SAM'],
  [/\bserverless(-framework)?\//i, 'Serverless'],
  [/\bansible\//i, 'Ansible'],
  // Not a bare `codebuild`: an SDK calling the CodeBuild API says `api/codebuild#...`.
  [/^codebuild\.amazonaws\.com$|exec-env\/\S*codebuild/i, 'CodeBuild'],
  [/^codepipeline\.amazonaws\.com$/i, 'CodePipeline'],
  [/^codedeploy\.amazonaws\.com$|codedeploy-agent/i, 'CodeDeploy'],
  [/eksctl/i, 'eksctl'],
  [/aws-copilot|\bcopilot\//i, 'Copilot'],
  [
    /^console\.([a-z0-9-]+\.)?amazonaws\.com$|^signin\.amazonaws\.com$|^Mozilla\/|ConsoleFrontend|aws-internal\//i,
    'console',
  ],
  [/aws-cli\//i, 'aws-cli'],
  [/boto3\/|botocore\//i, 'Boto3'],
  [/aws-sdk-js|aws-sdk-nodejs/i, 'aws-sdk-js'],
  [/aws-sdk-java/i, 'aws-sdk-java'],
  [/aws-sdk-go/i, 'aws-sdk-go'],
  [/aws-sdk-dotnet/i, 'aws-sdk-dotnet'],
  [/aws-sdk-ruby/i, 'aws-sdk-ruby'],
  [/aws-sdk-php/i, 'aws-sdk-php'],
  [/aws-sdk-rust/i, 'aws-sdk-rust'],
  [/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/i, 'AWS service'],
];

/**
 * The family of a CloudTrail userAgent (see UserAgentFamily). Undefined when there is no user
 * agent to judge.
 */
export function userAgentFamily(userAgent: string | undefined): UserAgentFamily | undefined {
  if (userAgent === undefined || userAgent === '') return undefined;
  // Only the head matters and the value is attacker-controlled: never scan megabytes.
  const ua = userAgent.slice(0, 512);
  for (const [pattern, family] of RULES) if (pattern.test(ua)) return family;
  // The product token: up to the first version slash, space or bracket, letters/digits/.- only.
  const product = /^[^a-z0-9]*([a-z0-9.-]+)/i
    .exec(ua)?.[1]
    ?.replace(/[-.]+$/, '')
    .slice(0, 32)
    .toLowerCase();
  return `other:${product || 'unknown'}`;
}

/** True for a deployment or infrastructure-as-code tool's family. */
export function isDeploymentTool(family: string | undefined): family is DeploymentToolFamily {
  return family !== undefined && (DEPLOYMENT_TOOL_FAMILIES as readonly string[]).includes(family);
}

/** True for a family userAgentFamily does not recognise (`other:<product>`). */
export function isUnrecognised(family: string | undefined): boolean {
  return family?.startsWith('other:') === true;
}
