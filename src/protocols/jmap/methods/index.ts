import type { Method } from '../services.ts';
import { emailGetMethods } from './emailGet.ts';
import { emailParseMethods } from './emailParse.ts';
import { emailQueryMethods } from './emailQuery.ts';
import { emailSetMethods } from './emailSet.ts';
import { mailboxMethods } from './mailbox.ts';
import { submissionMethods } from './submission.ts';
import { searchSnippetMethods } from './searchSnippet.ts';
import { threadMethods } from './thread.ts';
import { identityMethods } from './identity.ts';
import { vacationMethods } from './vacation.ts';

/** Every JMAP method this server answers, by name. */
export const methods: Record<string, Method> = { ...threadMethods, ...mailboxMethods, ...emailGetMethods, ...emailParseMethods, ...emailQueryMethods, ...emailSetMethods, ...submissionMethods, ...searchSnippetMethods, ...identityMethods, ...vacationMethods };
