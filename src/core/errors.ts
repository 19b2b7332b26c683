/** A domain error with a stable code; the message shown to users comes from `errors.<code>` in the catalogues. */
export class PosternError extends Error {
  readonly code: string;
  readonly status: number;
  readonly params: Record<string, string | number>;

  constructor(code: string, status = 400, params: Record<string, string | number> = {}) {
    super(code);
    this.name = 'PosternError';
    this.code = code;
    this.status = status;
    this.params = params;
  }
}
