/**
 * Where a webhook may point: an http(s) URL of at most 2,048 characters, on a host that resolves
 * to public addresses only. Loopback, link-local, private, unique-local, unspecified, multicast,
 * carrier-grade NAT and the other special ranges are refused, so a subscription cannot make Ordo
 * call into the network it runs in (server-side request forgery). The address rule is applied
 * when the subscription is written and again to every address a delivery connects to.
 */
import ipaddr from 'ipaddr.js';

export const MAX_URL_LENGTH = 2048;

export type UrlCheck = { readonly ok: true; readonly url: URL } | { readonly ok: false; readonly reason: string };

/** The URL's form: parsed, http or https, not too long, with a host. */
export function checkUrlForm(raw: string): UrlCheck {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: `the URL is longer than ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'the URL is not a valid absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `the URL must be http or https, not ${url.protocol.slice(0, -1)}` };
  if (!url.hostname) return { ok: false, reason: 'the URL has no host' };
  return { ok: true, url };
}

/**
 * Whether an address is an ordinary public unicast one. Everything ipaddr.js puts in a special
 * range is refused, IPv4 inside IPv6 (::ffff:127.0.0.1) judged as the IPv4 it is.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === 'unicast';
}

/** The host as an address literal (brackets dropped), or undefined when it is a name to resolve. */
export function addressLiteral(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) && (bare.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(bare)) ? bare : undefined;
}

/** The URL without user and password: what may be shown beyond the subscription itself (events, logs). */
export function withoutCredentials(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return raw;
  }
}
