import { PosternError } from './errors.ts';

export const minPasswordLength = 8;
export const maxPasswordLength = 256;

// The most common passwords of public breach lists, plus the ones people pick for a mail system.
const common = new Set(
  `123456 123456789 12345678 password qwerty123 qwerty 1q2w3e4r 12345 111111 123123 1234567890 000000
  abc123 password1 iloveyou 1234567 qwertyuiop 123321 654321 666666 888888 987654321 11111111 5201314
  a123456 a12345678 aa123456 abcd1234 woaini1314 qq123456 admin admin123 administrator welcome
  welcome1 letmein monkey dragon sunshine princess football baseball master shadow superman
  trustno1 passw0rd p@ssw0rd p@ssword changeme secret 1qaz2wsx zaq12wsx qazwsx123 asdfghjkl
  asd123456 zxcvbnm 147258369 123qwe 123qweasd q1w2e3r4 88888888 66666666 00000000 12341234
  test1234 test123456 mail1234 email123 postmaster postern123 iloveyou1 password123 computer`
    .split(/\s+/)
    .filter(Boolean),
);

/** Throws PosternError when the main password breaks the policy. */
export function checkPasswordPolicy(password: string, address: string): void {
  if (password.length < minPasswordLength) throw new PosternError('password_too_short', { min: minPasswordLength });
  if (password.length > maxPasswordLength) throw new PosternError('password_too_long', { max: maxPasswordLength });
  const lower = password.toLowerCase();
  const local = address.toLowerCase().split('@')[0];
  if (lower === address.toLowerCase() || lower === local) throw new PosternError('password_equals_address');
  if (common.has(lower)) throw new PosternError('password_too_common');
}
