/**
 * Every error code a user can meet, declared once with its HTTP status. Its message is
 * `errors.<code>` in each catalogue of src/i18n/locales (test/core/errorCatalogue.test.ts fails
 * on a code without a translation, or a code thrown in src/ that is not declared here).
 * A new code: add it here, then throw it with its params (an undeclared code does not type-check).
 */
export const errorCatalogue = {
  // Requests
  internal: { status: 500 },
  not_found: { status: 404 },
  validation: { status: 400 },
  bad_request: { status: 400 },
  payload_too_large: { status: 413 },
  unsupported_media_type: { status: 415 },
  ui_not_built: { status: 503 },
  // The database (or another dependency) is unreachable for now; retry shortly.
  unavailable: { status: 503 },
  unauthenticated: { status: 401 },
  csrf: { status: 403 },
  forbidden_origin: { status: 403 },

  // Domains and accounts
  invalid_address: { status: 400 },
  invalid_domain: { status: 400 },
  unknown_domain: { status: 404 },
  domain_exists: { status: 409 },
  domain_not_empty: { status: 409 },
  account_exists: { status: 409 },
  unknown_account: { status: 404 },
  autoconfig_unknown_domain: { status: 404 },
  autodiscover_bad_request: { status: 400 },

  // Passwords and sign-in
  password_too_short: { status: 400 },
  password_too_long: { status: 400 },
  password_equals_address: { status: 400 },
  password_too_common: { status: 400 },
  invalid_credentials: { status: 401 },
  too_many_attempts: { status: 429 },
  wrong_current_password: { status: 400 },
  login_step1_required: { status: 401 },
  step_up_required: { status: 403 },
  // Admin console and the domain 2FA policy (SPEC X5)
  enrolment_required: { status: 403 },
  admin_required: { status: 403 },
  admin_two_factor_required: { status: 403 },
  invalid_grace_days: { status: 400 },
  invalid_date: { status: 400 },
  invalid_help_contact: { status: 400 },
  invalid_reason: { status: 400 },
  alias_exists: { status: 409 },
  unknown_alias: { status: 404 },
  not_exempt: { status: 404 },
  invalid_quota: { status: 400 },
  own_admin_flag: { status: 409 },
  wrong_password: { status: 400 },

  // Devices and client-specific passwords
  unknown_device: { status: 404 },
  use_logout: { status: 400 },
  trusted_device_not_found: { status: 404 },
  invalid_app_password_name: { status: 400 },
  invalid_app_password_scopes: { status: 400 },
  too_many_app_passwords: { status: 409 },
  unknown_app_password: { status: 404 },
  invalid_reset_note: { status: 400 },
  invalid_app_password_expiry: { status: 400 },
  invalid_app_password_networks: { status: 400 },
  too_many_app_password_networks: { status: 400 },

  // Mail
  unknown_mailbox: { status: 404 },
  mailbox_deleted: { status: 404 },
  email_needs_mailbox: { status: 400 },
  invalid_mailbox_name: { status: 400 },
  mailbox_exists: { status: 409 },
  mailbox_protected: { status: 400 },
  mailbox_has_children: { status: 400 },
  message_missing: { status: 500 },
  message_too_large: { status: 413 },
  quota_exceeded: { status: 507 },
  relay_not_configured: { status: 503 },
  mail_send_failed: { status: 502 },
  sender_not_owned: { status: 403 },
  unknown_recipient: { status: 400 },
  // Inbound mail refused or deferred by its authentication checks (SMTP answers 550 / 451)
  inbound_own_domain_unauthenticated: { status: 403 },
  inbound_dmarc_reject: { status: 403 },
  inbound_spam: { status: 403 },
  inbound_dns_unavailable: { status: 503 },
  inbound_spam_filter_unavailable: { status: 503 },

  // Verifications and second-step methods
  verification_not_found: { status: 404 },
  verification_expired: { status: 410 },
  verification_done: { status: 409 },
  verification_required: { status: 403 },
  method_not_allowed: { status: 400 },
  method_unavailable: { status: 400 },
  // Security keys and passkeys (X1)
  invalid_key_name: { status: 400 },
  key_refused: { status: 400 },
  key_already_bound: { status: 409 },
  too_many_keywords: { status: 400 },
  passkey_unknown: { status: 401 },
  method_not_bound: { status: 404 },
  method_already_bound: { status: 409 },
  method_cooling_down: { status: 429 },
  two_factor_off: { status: 400 },
  resend_too_soon: { status: 429 },
  daily_send_limit: { status: 429 },
  code_not_sent: { status: 400 },
  code_expired: { status: 400 },
  wrong_code: { status: 400 },
  code_reused: { status: 400 },
  invalid_code_format: { status: 400 },
  second_factor_attempts_exhausted: { status: 429 },
  second_factor_locked: { status: 429 },
  recovery_code_used: { status: 400 },
  recovery_codes_need_two_factor: { status: 400 },
  invalid_phone: { status: 400 },
  backup_email_is_own_mailbox: { status: 400 },
  sms_send_failed: { status: 502 },
  approval_denied: { status: 400 },
  wechat_failed: { status: 502 },
  wechat_request_not_found: { status: 404 },
  wechat_request_answered: { status: 409 },
  wechat_request_expired: { status: 410 },
  wechat_not_bound_user: { status: 403 },
  wechat_token_invalid: { status: 401 },
} as const satisfies Record<string, { status: number }>;

export type ErrorCode = keyof typeof errorCatalogue;
export type ErrorParams = Record<string, string | number>;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalogue, value);
}

/** The catalogue key of a code's message. */
export const messageKey = (code: ErrorCode): `errors.${ErrorCode}` => `errors.${code}`;

/** A domain error with a declared code; its status comes from the catalogue, its message from `errors.<code>`. */
export class PosternError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: ErrorParams;

  constructor(code: ErrorCode, params: ErrorParams = {}) {
    super(code);
    this.name = 'PosternError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.params = params;
  }
}
