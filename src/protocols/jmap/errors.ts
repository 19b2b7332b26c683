// The errors of RFC 8620: request-level problems (§3.6.1, RFC 7807 bodies), method-level errors
// (§3.6.2) and per-object SetErrors (§5.3).

export const problemPrefix = 'urn:ietf:params:jmap:error:';

/** Rejects the whole request with an RFC 7807 problem. */
export class RequestProblem extends Error {
  readonly type: string;
  readonly status: number;
  readonly limit?: string;

  constructor(type: 'unknownCapability' | 'notJSON' | 'notRequest' | 'limit', detail: string, limit?: string, status = 400) {
    super(detail);
    this.type = type;
    this.status = status;
    this.limit = limit;
  }

  body() {
    return { type: problemPrefix + this.type, status: this.status, detail: this.message, ...(this.limit ? { limit: this.limit } : {}) };
  }
}

/** One method call fails; the others of the request go on. */
export class MethodError extends Error {
  readonly type: string;
  readonly extra: Record<string, unknown>;

  constructor(type: string, description?: string, extra: Record<string, unknown> = {}) {
    super(description ?? type);
    this.type = type;
    this.extra = { ...(description ? { description } : {}), ...extra };
  }
}

export interface SetError {
  type: string;
  description?: string;
  properties?: string[];
  [key: string]: unknown;
}

/** Fails one object of a /set, /copy or /import; the others go on. */
export class SetFailure extends Error {
  readonly error: SetError;

  constructor(type: string, description?: string, properties?: string[]) {
    super(description ?? type);
    this.error = { type, ...(description ? { description } : {}), ...(properties ? { properties } : {}) };
  }
}

export const setError = (err: unknown): SetError => {
  if (err instanceof SetFailure) return err.error;
  throw err;
};
