// ua-parser-js stays below 2 (package.json "<2"): 2.x is licensed AGPL-3.0, 1.x MIT.
import UAParser from 'ua-parser-js';
import type { ClientDescription, DescribeUserAgent } from '../core/requestPorts.ts';
import { memo } from '../memo.ts';

const join = (...parts: (string | undefined)[]): string => parts.filter(Boolean).join(' ');

// Parsing runs dozens of patterns; a sign-in reads the same few headers again (the new one, the recent ones).
const describe = memo(1000, parse);

/** Reads browser, operating system and (for phones and tablets) device from a User-Agent header. */
export const describeUserAgent: DescribeUserAgent = (userAgent) => describe(userAgent ?? '');

function parse(userAgent: string): ClientDescription {
  const { browser, os, device } = new UAParser(userAgent).getResult();
  const parts = { browser: join(browser.name, browser.major), os: join(os.name, os.version) };
  const isHandheld = device.type === 'mobile' || device.type === 'tablet';
  const model = !isHandheld ? '' : device.vendor && device.model?.startsWith(device.vendor) ? device.model : join(device.vendor, device.model);
  const display = [parts.browser, parts.os, model].filter(Boolean).join(' · ');
  return model ? { ...parts, device: model, display } : { ...parts, display };
}
