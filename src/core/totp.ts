import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { CheckOutcome, Method, PreparedFactor } from './methods.ts';
import type { AccountRecord } from './ports.ts';

const params = { algorithm: 'SHA1', digits: 6, period: 30 } as const;

function totpFor(secret: string, address: string, issuer: string): TOTP {
  return new TOTP({ issuer, label: address, secret: Secret.fromBase32(secret), ...params });
}

/**
 * Third-party OTP apps (SPEC B5, C6, D7, D8): RFC 6238, SHA-1, 6 digits, 30 s, ±1 step.
 * A time step is accepted once per factor: the factor's counter records the last step used.
 */
export class TotpMethod implements Method {
  readonly kind = 'totp' as const;
  readonly style = 'app' as const;
  readonly responsePattern = /^\d{6}$/;
  readonly #issuer: string;

  constructor(issuer = 'Postern') {
    this.#issuer = issuer;
  }

  async prepare(_input: unknown, account: AccountRecord): Promise<PreparedFactor> {
    const secret = new Secret({ size: 20 }).base32;
    const uri = totpFor(secret, account.address, this.#issuer).toString();
    const qr = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 1, width: 220 });
    return { data: { secret }, label: '', display: { uri, qr, secret: secret.replace(/(.{4})(?=.)/g, '$1 ') } };
  }

  async start() {
    return { state: null, display: null };
  }

  async check(env: Parameters<Method['check']>[0], response: string): Promise<CheckOutcome> {
    const { secret } = env.data as { secret: string };
    const totp = totpFor(secret, env.account.address, this.#issuer);
    const timestamp = env.now.getTime();
    const delta = totp.validate({ token: response, timestamp, window: 1 });
    if (delta === null) return 'wrong';
    return (await env.advanceCounter(totp.counter({ timestamp }) + delta)) ? 'ok' : 'reused';
  }
}
