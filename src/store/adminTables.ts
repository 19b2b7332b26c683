export interface DomainPoliciesTable {
  domain: string;
  /** `off` | `required` */
  two_factor: string;
  starts_at: number;
  grace_days: number;
  help_phone: string;
  help_email: string;
  updated_at: number;
}

export interface TwoFactorExemptionsTable {
  account_id: string;
  reason: string;
  created_by: string;
  created_at: number;
}

export interface AliasesTable {
  address: string;
  domain: string;
  account_id: string;
  created_at: number;
}

export interface PolicyRemindersTable {
  account_id: string;
  ends_at: number;
  days: number;
  sent_at: number;
}

declare module './schema.ts' {
  interface Database {
    domain_policies: DomainPoliciesTable;
    two_factor_exemptions: TwoFactorExemptionsTable;
    aliases: AliasesTable;
    policy_reminders: PolicyRemindersTable;
  }
}
