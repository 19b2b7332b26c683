import UAParser from 'ua-parser-js';

export interface ClientDescription {
  /** `Chrome 141`; empty when the User-Agent does not say. */
  browser: string;
  /** `Windows 10`; empty when the User-Agent does not say. */
  os: string;
  /** `Apple iPhone` for phones and tablets. */
  device?: string;
  /** `Chrome 141 · Windows 10`, `Mobile Safari 17 · iOS 17.5 · Apple iPhone`; empty when nothing is known. */
  display: string;
}

const join = (...parts: (string | undefined)[]): string => parts.filter(Boolean).join(' ');

/** Reads browser, operating system and (for phones and tablets) device from a User-Agent header. */
export function describeUserAgent(userAgent: string | undefined): ClientDescription {
  const { browser, os, device } = new UAParser(userAgent ?? '').getResult();
  const parts = { browser: join(browser.name, browser.major), os: join(os.name, os.version) };
  const isHandheld = device.type === 'mobile' || device.type === 'tablet';
  const model = !isHandheld ? '' : device.vendor && device.model?.startsWith(device.vendor) ? device.model : join(device.vendor, device.model);
  const display = [parts.browser, parts.os, model].filter(Boolean).join(' · ');
  return model ? { ...parts, device: model, display } : { ...parts, display };
}
