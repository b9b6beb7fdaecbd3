import { isIP } from 'node:net';

/**
 * The network a call came from: an IPv4 address's /24, an IPv6 address's /48, `AWS Internal`,
 * or an AWS service's host name (`lambda.amazonaws.com`). Undefined when absent; `other` for
 * anything else (never the raw, attacker-controlled string).
 */
export function sourceNetwork(sourceIPAddress: string | undefined): string | undefined {
  if (sourceIPAddress === undefined || sourceIPAddress === '') return undefined;
  const ip = sourceIPAddress.trim();
  const kind = isIP(ip);
  if (kind === 4) {
    const parts = ip.split('.');
    return `${parts[0]}.${parts[1]}.${parts[2]}.0/24`;
  }
  if (kind === 6) return ipv6Slash48(ip);
  if (ip === 'AWS Internal') return ip;
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/i.test(ip) && ip.length <= 100) return ip.toLowerCase();
  return 'other';
}

function ipv6Slash48(ip: string): string {
  // An IPv4-mapped address (::ffff:1.2.3.4) is an IPv4 caller.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return sourceNetwork(mapped[1]) ?? 'other';
  const [head = '', tail = ''] = ip.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = ip.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const first3 = groups.slice(0, 3).map((g) => Number.parseInt(g || '0', 16).toString(16));
  return `${first3.join(':')}::/48`;
}
