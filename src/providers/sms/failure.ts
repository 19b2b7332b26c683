import { PosternError } from '../../core/errors.ts';

/**
 * The one error every adapter throws (`sms_send_failed`, HTTP 502). `reason` is `timeout`, `network`,
 * `http_<status>` or the provider's own error code — never its message, which may echo request data.
 */
export function smsFailure(provider: string, reason: string): PosternError {
  return new PosternError('sms_send_failed', { provider, reason: reason.replace(/[^\w.-]/g, '').slice(0, 64) || 'unknown' });
}
