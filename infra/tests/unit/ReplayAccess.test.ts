import { installMocks, one, settle } from '../helpers/pulumiMocks';

const registered = installMocks();

describe('ReplayAccess', () => {
  it('lets the replay list and read the organization trail and decrypt it with the trail key, nothing more', async () => {
    const { ReplayAccess } = await import('../../src/ReplayAccess');
    const access = new ReplayAccess('replay', {
      orgId: 'o-abcdefghij',
      trailBucketName: 'org-trail-bucket',
      trailKmsKeyArn: 'arn:aws:kms:us-east-1:999988887777:key/1111-2222',
      trustedPrincipalArns: ['arn:aws:iam::111122223333:role/SecurityAnalyst'],
    });
    await settle();
    const statements = JSON.parse(
      one(registered, 'aws:iam/rolePolicy:RolePolicy', 'replay-policy').inputs['policy'],
    ).Statement;
    expect(statements).toEqual([
      {
        Sid: 'ListTrail',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::org-trail-bucket',
        Condition: { StringLike: { 's3:prefix': ['AWSLogs/o-abcdefghij/*'] } },
      },
      {
        Sid: 'ReadTrail',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::org-trail-bucket/AWSLogs/o-abcdefghij/*',
      },
      {
        Sid: 'DecryptTrail',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: 'arn:aws:kms:us-east-1:999988887777:key/1111-2222',
      },
    ]);
    const bucketStatements = await new Promise<string>((r) => access.bucketPolicyStatements.apply(r));
    const parsed = JSON.parse(bucketStatements) as { Principal: unknown; Action: string; Resource: string }[];
    expect(parsed.map((s) => [s.Action, s.Resource])).toEqual([
      ['s3:ListBucket', 'arn:aws:s3:::org-trail-bucket'],
      ['s3:GetObject', 'arn:aws:s3:::org-trail-bucket/AWSLogs/o-abcdefghij/*'],
    ]);
    for (const s of parsed)
      expect(s.Principal).toEqual({ AWS: 'arn:aws:iam::111122223333:role/firstseen-replay' });
  });
});
