import { offensiveUserAgent } from '../../src/offensiveUserAgent';

describe('offensiveUserAgent()', () => {
  it.each([
    ['aws-cli/2.15.0 Python/3.11.8 Linux/6.6.9-amd64-kali1 exe/x86_64.kali.2024 prompt/off', 'Kali Linux'],
    ['Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.5.0-kali3-amd64 md/arch#x86_64', 'Kali Linux'],
    ['aws-cli/2.13.0 Python/3.11.2 Linux/6.1.0-1parrot1-amd64 exe/x86_64.parrot.5', 'Parrot Security OS'],
    ['aws-cli/1.29.0 Python/3.11.5 Linux/6.4.9-pentoo botocore/1.31.0', 'Pentoo Linux'],
    ['stratus-red-team_7e4b1a2c-0c5d', 'Stratus Red Team'],
    ['Boto3/1.26.0 Python/3.10 Linux/5.15 Botocore/1.29.0 Pacu', 'Pacu'],
  ])('names the distribution or tool in %s', (ua, name) => {
    expect(offensiveUserAgent(ua)).toBe(name);
  });

  it.each([
    'aws-cli/2.15.0 Python/3.11.6 Linux/6.1.0-18-amd64 exe/x86_64.debian.12',
    'APN/1.0 HashiCorp/1.0 Terraform/1.6.6 (+https://www.terraform.io) terraform-provider-aws/5.31.0',
    'kalimba-deployer/1.0 aws-sdk-js/3.0',
    'console.amazonaws.com',
  ])('names nothing for %s', (ua) => {
    expect(offensiveUserAgent(ua)).toBeUndefined();
  });

  it('looks only at the head of a huge user agent', () => {
    expect(offensiveUserAgent(`${'a'.repeat(2_000_000)} kali`)).toBeUndefined();
  });
});
