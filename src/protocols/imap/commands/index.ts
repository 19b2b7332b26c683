// The command table: every command the server announces, with the states it is valid in.
import type { CommandSpec } from './args.ts';
import { AUTHENTICATE, LOGIN, STARTTLS } from './auth.ts';
import { FETCH } from './fetch.ts';
import { CAPABILITY, CHECK, CLOSE, ENABLE, ID, LOGOUT, NAMESPACE, NOOP, UNSELECT } from './general.ts';
import { LIST, LSUB } from './list.ts';
import { CREATE, DELETE, EXAMINE, RENAME, SELECT, STATUS, SUBSCRIBE, UNSUBSCRIBE } from './mailboxes.ts';
import { APPEND } from './append.ts';
import { COPY, EXPUNGE, IDLE, MOVE, STORE } from './messages.ts';
import { CANCELUPDATE } from './esearch.ts';
import { SEARCH } from './search.ts';
import { SORT, THREAD } from './sortThread.ts';

export const commands: Record<string, CommandSpec> = {
  CAPABILITY, NOOP, LOGOUT, ID, STARTTLS, LOGIN, AUTHENTICATE,
  ENABLE, NAMESPACE, SELECT, EXAMINE, CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST, LSUB, STATUS, APPEND, IDLE,
  CHECK, CLOSE, UNSELECT, EXPUNGE, SEARCH, CANCELUPDATE, SORT, THREAD, FETCH, STORE, COPY, MOVE,
};
