import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OrganizationsReceiver {
  endpoint: string;
  /** The X-Amz-Target of every request received. */
  targets: string[];
  stop(): Promise<void>;
}

/**
 * A loopback stand-in for the AWS Organizations API, honouring its wire contract (AWS JSON 1.1:
 * POST /, `X-Amz-Target: AWSOrganizationsV20161128.<Operation>`, JSON body and answer) for the
 * operations the watchdog calls: ListAccounts (the given accounts in one page), and for its
 * account directory ListParents (every account in one OU `Production` under the root `r-ab12`)
 * DescribeOrganizationalUnit and ListTagsForResource (`environment=prod` on every account).
 * Anything else gets the API's error shape.
 */
const ROOT_ID = 'r-ab12';
const OU_ID = 'ou-ab12-prod0001';

export async function startOrganizationsReceiver(
  accounts: { id: string; state: 'ACTIVE' | 'SUSPENDED' | 'CLOSED' }[],
): Promise<OrganizationsReceiver> {
  const targets: string[] = [];
  const server = http.createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    targets.push(target);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, string>;
      if (req.method === 'POST' && target === 'AWSOrganizationsV20161128.ListParents') {
        const parent = String(body['ChildId']).startsWith('ou-')
          ? { Id: ROOT_ID, Type: 'ROOT' }
          : { Id: OU_ID, Type: 'ORGANIZATIONAL_UNIT' };
        res.end(JSON.stringify({ Parents: [parent] }));
        return;
      }
      if (req.method === 'POST' && target === 'AWSOrganizationsV20161128.DescribeOrganizationalUnit') {
        res.end(
          JSON.stringify({
            OrganizationalUnit: {
              Id: body['OrganizationalUnitId'],
              Arn: `arn:aws:organizations::111111111111:ou/o-exampleorgid/${body['OrganizationalUnitId']}`,
              Name: 'Production',
            },
          }),
        );
        return;
      }
      if (req.method === 'POST' && target === 'AWSOrganizationsV20161128.ListTagsForResource') {
        res.end(JSON.stringify({ Tags: [{ Key: 'environment', Value: 'prod' }] }));
        return;
      }
      if (req.method === 'POST' && target === 'AWSOrganizationsV20161128.ListAccounts') {
        res.end(
          JSON.stringify({
            Accounts: accounts.map((a) => ({
              Id: a.id,
              Arn: `arn:aws:organizations::111111111111:account/o-exampleorgid/${a.id}`,
              Email: `${a.id}@example.com`,
              Name: a.id,
              State: a.state,
              Status: a.state === 'ACTIVE' ? 'ACTIVE' : 'SUSPENDED',
              JoinedMethod: 'CREATED',
              JoinedTimestamp: 1_700_000_000,
            })),
          }),
        );
        return;
      }
      res.statusCode = 400;
      res.end(
        JSON.stringify({ __type: 'UnsupportedAPIEndpointException', Message: `unsupported: ${target}` }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    targets,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
