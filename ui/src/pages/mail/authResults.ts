// SPEC M6 for the reader: our Authentication-Results (the topmost: the server removes any claiming
// to be ours and adds its own on top) turned into a warning the user sees.
export type AuthWarning = 'dkimFailed' | 'dmarcFailed' | 'ownDomainFromOutside' | null;

const result = (header: string, method: string) => new RegExp(`(?:^|[;\\s])${method}=(\\w+)`, 'i').exec(header)?.[1]?.toLowerCase() ?? null;

export function authWarning(headers: string[], fromAddress: string | undefined, ownDomain: string): AuthWarning {
  const ours = headers[0];
  if (!ours) return null;
  const dmarc = result(ours, 'dmarc');
  const dkim = result(ours, 'dkim');
  if (dmarc === 'fail') return 'dmarcFailed';
  if (dkim === 'fail' || dkim === 'permerror') return 'dkimFailed';
  const fromDomain = fromAddress?.split('@').pop()?.toLowerCase();
  // Mail of our own users comes by submission and has no Authentication-Results of ours.
  if (fromDomain && fromDomain === ownDomain.toLowerCase() && dmarc !== 'pass' && dkim !== 'pass') return 'ownDomainFromOutside';
  return null;
}
