// RFC 8620 §3: the request envelope. Checks `using`, runs the method calls in order, resolves `#`
// result references against earlier responses and keeps the creation ids of the request.
import { ZodError } from 'zod';
import { MethodError, RequestProblem } from './errors.ts';
import { evaluatePointer } from './pointer.ts';
import { capabilities, limits } from './session.ts';

export type Args = Record<string, unknown>;
export type Invocation = [name: string, args: Args, callId: string];

export interface Call {
  accountId: string;
  /** Creation ids of this request so far (`#k1` → the id created for k1). */
  createdIds: Map<string, string>;
  using: Set<string>;
  /** An id as given, or the id created for `#creationId`; null for an unknown creation id. */
  resolveId(id: string): string | null;
}

export interface MethodSpec<S = unknown> {
  capability: string;
  /** Returns the responses of the call: its own, then any implicit ones (EmailSubmission's Email/set). */
  run(args: Args, call: Call, services: S): Promise<[string, Args][]>;
}

export interface JmapRequest {
  using: string[];
  methodCalls: Invocation[];
  createdIds?: Record<string, string>;
}

export function parseRequest(body: unknown): JmapRequest {
  const b = body as Partial<JmapRequest> | null;
  const isCall = (c: unknown) => Array.isArray(c) && c.length === 3 && typeof c[0] === 'string' && c[1] !== null && typeof c[1] === 'object' && !Array.isArray(c[1]) && typeof c[2] === 'string';
  if (!b || typeof b !== 'object' || !Array.isArray(b.using) || !b.using.every((u) => typeof u === 'string') || !Array.isArray(b.methodCalls) || !b.methodCalls.every(isCall)) {
    throw new RequestProblem('notRequest', 'The body is not a JMAP Request object.');
  }
  if (b.createdIds !== undefined && (typeof b.createdIds !== 'object' || b.createdIds === null)) throw new RequestProblem('notRequest', 'createdIds must be an object.');
  const unknown = b.using.find((u) => !capabilities.includes(u));
  if (unknown) throw new RequestProblem('unknownCapability', `The server does not support ${unknown.slice(0, 100)}.`);
  if (b.methodCalls.length > limits.maxCallsInRequest) throw new RequestProblem('limit', `At most ${limits.maxCallsInRequest} method calls per request.`, 'maxCallsInRequest');
  return b as JmapRequest;
}

/** Replaces `#name` arguments by what their ResultReference points at (§3.7). */
function resolveReferences(args: Args, responses: Invocation[]): Args {
  const out: Args = {};
  for (const [key, value] of Object.entries(args)) {
    if (!key.startsWith('#')) {
      out[key] = value;
      continue;
    }
    const name = key.slice(1);
    if (Object.hasOwn(args, name)) throw new MethodError('invalidArguments', `both ${name} and #${name} given`);
    const ref = value as { resultOf?: unknown; name?: unknown; path?: unknown } | null;
    if (!ref || typeof ref.resultOf !== 'string' || typeof ref.name !== 'string' || typeof ref.path !== 'string') throw new MethodError('invalidResultReference', `#${name} is not a ResultReference`);
    const source = responses.find((r) => r[2] === ref.resultOf && r[0] === ref.name);
    if (!source) throw new MethodError('invalidResultReference', `no ${ref.name} response for ${ref.resultOf}`);
    out[name] = evaluatePointer(source[1], ref.path);
  }
  return out;
}

function describe(err: ZodError): string {
  const issue = err.issues[0];
  return `${issue.path.join('/') || 'arguments'}: ${issue.message}`;
}

export async function runRequest<S>(request: JmapRequest, accountId: string, methods: Record<string, MethodSpec<S>>, services: S, log: (err: unknown) => void) {
  const createdIds = new Map(Object.entries(request.createdIds ?? {}));
  const using = new Set(request.using);
  const call: Call = {
    accountId,
    createdIds,
    using,
    resolveId: (id) => (id.startsWith('#') ? (createdIds.get(id.slice(1)) ?? null) : id),
  };
  const responses: Invocation[] = [];
  for (const [name, rawArgs, callId] of request.methodCalls) {
    const method = Object.hasOwn(methods, name) ? methods[name] : undefined;
    try {
      if (!method || !using.has(method.capability)) throw new MethodError('unknownMethod', `${name.slice(0, 100)} is not a method of the capabilities in using`);
      const args = resolveReferences(rawArgs, responses);
      if ('accountId' in args && args.accountId !== accountId) throw new MethodError('accountNotFound');
      for (const [responseName, result] of await method.run(args, call, services)) responses.push([responseName, result, callId]);
    } catch (err) {
      if (err instanceof MethodError) responses.push(['error', { type: err.type, ...err.extra }, callId]);
      else if (err instanceof ZodError) responses.push(['error', { type: 'invalidArguments', description: describe(err) }, callId]);
      else {
        log(err);
        responses.push(['error', { type: 'serverFail' }, callId]);
      }
    }
  }
  return { methodResponses: responses, createdIds: Object.fromEntries(createdIds) };
}
