import UAParser from 'ua-parser-js';

export interface ClientDescription {
  /** `Chrome 141`; empty when the User-Agent does not say. */
  browser: string;
  /** `Windows 10`; empty when the User-Agent does not say. */
  os: string;
  /** `Apple iPhone` for phones and tablets. */
  device?: string;
}

const join = (...parts: (string | undefined)[]): string => parts.filter(Boolean).join(' ');

/** Reads browser, operating system and (for phones and tablets) device from a User-Agent header. */
export function describeUserAgent(userAgent: string | undefined): ClientDescription {
  const { browser, os, device } = new UAParser(userAgent ?? '').getResult();
  const result: ClientDescription = { browser: join(browser.name, browser.major), os: join(os.name, os.version) };
  if (device.type === 'mobile' || device.type === 'tablet') {
    const model = device.vendor && device.model?.startsWith(device.vendor) ? device.model : join(device.vendor, device.model);
    if (model) result.device = model;
  }
  return result;
}

/** `Chrome 141 · Windows 10`, `Mobile Safari 17 · iOS 17.5 · Apple iPhone`; `unknown` when nothing is known. */
export function userAgentDisplay(client: ClientDescription, unknown: string): string {
  return [client.browser, client.os, client.device].filter(Boolean).join(' · ') || unknown;
}
