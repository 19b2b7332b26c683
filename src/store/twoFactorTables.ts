export interface FactorsTable {
  id: string;
  account_id: string;
  kind: string;
  label: string;
  sealed_data: string;
  counter: number | null;
  confirmed_at: number | null;
  blocked_until: number | null;
  last_used_at: number | null;
  created_at: number;
}

export interface VerificationsTable {
  id: string;
  account_id: string;
  purpose: string;
  /** JSON array of factor ids. */
  factor_ids: string;
  target_id: string | null;
  parent_id: string | null;
  token_hash: string | null;
  created_at: number;
  expires_at: number;
  verified_at: number | null;
  verified_factor_id: string | null;
  consumed_at: number | null;
}

export interface ChallengesTable {
  id: string;
  verification_id: string;
  factor_id: string;
  state: string;
  attempts: number;
  created_at: number;
  expires_at: number;
  approved_at: number | null;
  consumed_at: number | null;
}

export interface TrustedDevicesTable {
  id: string;
  account_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  last_used_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface RateLimitsTable {
  key: string;
  window_start: number;
  used: number;
}

export interface AuditEventsTable {
  id: string;
  account_id: string | null;
  type: string;
  at: number;
  ip: string | null;
  user_agent: string | null;
  /** JSON object. */
  detail: string;
  /** The administrator (address) or operator (`user@host`) who acted; null: the owner or the system. */
  actor: string | null;
}

declare module './schema.ts' {
  interface Database {
    factors: FactorsTable;
    verifications: VerificationsTable;
    challenges: ChallengesTable;
    trusted_devices: TrustedDevicesTable;
    rate_limits: RateLimitsTable;
    audit_events: AuditEventsTable;
  }
}
