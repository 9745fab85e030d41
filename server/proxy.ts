/**
 * Who is on the other end when the server sits behind reverse proxies (PARLEY_TRUST_PROXY).
 *
 * Each proxy appends the address of the peer it saw to `X-Forwarded-For`, so the entries are
 * only as trustworthy as whoever wrote them: everything left of what our own proxies appended
 * was written by the client, and a client can put anything there. The address is therefore taken
 * from the right, never the left.
 */
import { isIP } from 'node:net';

/** Which proxies to believe: `hops` proxies in front of the server, or proxies at `addresses`. */
export interface ProxyTrust {
  /** Proxies in front of the server; with N, the client is the Nth `X-Forwarded-For` entry from the right. */
  hops: number;
  /** Addresses of trusted proxies; the client is the rightmost address that is not one of them. */
  addresses: string[];
}

/** An address as compared here: no brackets, no IPv4-mapped IPv6 prefix, lower case. */
export function normalizeAddress(address: string): string {
  const bare = address
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  return bare.startsWith('::ffff:') && isIP(bare.slice(7)) === 4 ? bare.slice(7) : bare;
}

function entries(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((entry) => entry.trim().slice(0, 100))
    .filter(Boolean);
}

/**
 * The client's address from the socket peer and `X-Forwarded-For`:
 * - no trust: the peer;
 * - `hops` N: the Nth entry from the right (the one the outermost proxy appended); with fewer
 *   entries, the leftmost, since every entry then came from a proxy; without the header, the peer;
 * - `addresses`: walking from the peer leftwards, the first address that is not a trusted proxy
 *   (a peer that is not one is the client itself, whatever the header says); all trusted: the
 *   leftmost.
 */
export function clientAddress(
  forwardedFor: string | undefined,
  peer: string,
  trust: ProxyTrust,
): string {
  const self = normalizeAddress(peer);
  if (trust.addresses.length > 0) {
    const trusted = new Set(trust.addresses.map(normalizeAddress));
    const chain = [...entries(forwardedFor).map(normalizeAddress), self];
    for (let i = chain.length - 1; i >= 0; i--) if (!trusted.has(chain[i])) return chain[i];
    return chain[0];
  }
  if (trust.hops <= 0) return self;
  const list = entries(forwardedFor);
  if (list.length === 0) return self;
  return normalizeAddress(list[Math.max(0, list.length - trust.hops)]);
}

/**
 * The scheme the client used, as the trusted proxy in front reports it in `X-Forwarded-Proto`
 * (its last entry: the proxy next to the server wrote it), or `null` when no proxy is trusted or
 * the peer is not a listed one, so a client's own header counts for nothing.
 */
export function forwardedProto(
  header: string | undefined,
  peer: string,
  trust: ProxyTrust,
): string | null {
  const trusted =
    trust.addresses.length > 0
      ? trust.addresses.map(normalizeAddress).includes(normalizeAddress(peer))
      : trust.hops > 0;
  if (!trusted) return null;
  const list = entries(header);
  return list.length > 0 ? list[list.length - 1].toLowerCase() : null;
}

/** Parses PARLEY_TRUST_PROXY: off / 0, on / 1, a hop count up to 10, or proxy addresses. */
export function parseProxyTrust(value: string): ProxyTrust | string {
  const v = value.trim().toLowerCase();
  if (['', 'off', 'no', 'false', '0'].includes(v)) return { hops: 0, addresses: [] };
  if (['on', 'yes', 'true'].includes(v)) return { hops: 1, addresses: [] };
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return hops <= 10 ? { hops, addresses: [] } : 'a hop count must be at most 10';
  }
  const addresses = v
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const bad = addresses.find((a) => isIP(normalizeAddress(a)) === 0);
  if (bad !== undefined) return `"${bad}" is not an IP address`;
  return { hops: 0, addresses };
}

/** The eight 16-bit groups of an IPv6 address. */
function ipv6Groups(address: string): number[] {
  const [head, tail = null] = address.split('::');
  const part = (text: string | null) =>
    (text ?? '')
      .split(':')
      .filter(Boolean)
      .flatMap((group) => {
        if (!group.includes('.')) return [parseInt(group, 16)];
        const [a, b, c, d] = group.split('.').map(Number);
        return [(a << 8) | b, (c << 8) | d];
      });
  const front = part(head);
  const back = part(tail);
  return [
    ...front,
    ...new Array<number>(Math.max(0, 8 - front.length - back.length)).fill(0),
    ...back,
  ];
}

/**
 * The rate-limit key of a client address: the address itself for IPv4, its /64 for IPv6. One
 * subscriber is given a whole /64 (RFC 6177), so keying by full IPv6 addresses would let anyone
 * rotate through 2^64 of them.
 */
export function rateKey(address: string): string {
  const normalized = normalizeAddress(address);
  if (isIP(normalized) !== 6) return normalized;
  const groups = ipv6Groups(normalized.split('%')[0]);
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}
