import { PosternError } from './errors.ts';

const mainlandMobile = /^1[3-9]\d{9}$/;

// Country calling codes are prefix-free: +1 and +7 have one digit, these have two, all others three.
const twoDigitCodes = new Set([
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66',
  '81', '82', '84', '86', '90', '91', '92', '93', '94', '95', '98',
]);

/**
 * Normalizes a phone number to E.164 (`+8613812345678`). An 11-digit mainland mobile number
 * without a country code is taken as +86; anything else needs `+` or `00` and its country code.
 * Throws `invalid_phone`.
 */
export function normalizePhone(input: string): string {
  const compact = input.trim().replace(/[\s\-().]/g, '');
  let digits: string;
  if (mainlandMobile.test(compact)) digits = `86${compact}`;
  else if (compact.startsWith('+')) digits = compact.slice(1);
  else if (compact.startsWith('00')) digits = compact.slice(2);
  else throw invalid(input);
  if (!/^[1-9]\d{7,14}$/.test(digits)) throw invalid(input);
  if (digits.startsWith('86') && !mainlandMobile.test(digits.slice(2))) throw invalid(input);
  return `+${digits}`;
}

function invalid(input: string): PosternError {
  return new PosternError('invalid_phone', { phone: input.slice(0, 32) });
}

/** Splits an E.164 number into its country calling code and national number (`86`, `13812345678`). */
export function splitPhone(e164: string): { countryCode: string; national: string } {
  const digits = e164.replace(/^\+/, '');
  const length = digits[0] === '1' || digits[0] === '7' ? 1 : twoDigitCodes.has(digits.slice(0, 2)) ? 2 : 3;
  return { countryCode: digits.slice(0, length), national: digits.slice(length) };
}
