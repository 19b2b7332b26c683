import type { Logger } from 'pino';
import type { SpamFilter } from '../core/ports.ts';

type Verdict = Awaited<ReturnType<SpamFilter['check']>>['verdict'];

/** rspamd's actions (https://rspamd.com/doc/configuration/metrics.html) as Postern acts on them. */
const verdicts: Record<string, Verdict> = {
  'no action': 'clean',
  'add header': 'spam',
  'rewrite subject': 'spam',
  greylist: 'defer',
  'soft reject': 'defer',
  reject: 'reject',
};

/** rspamd's HTTP protocol (`POST /checkv2`, the normal worker). Unreachable or failing: `whenDown`. */
export function rspamdFilter(options: { url: string; whenDown: 'accept' | 'defer'; hostname: string; log: Logger; timeoutMs?: number }): SpamFilter {
  const endpoint = new URL('/checkv2', options.url);
  return {
    async check(raw, envelope) {
      const headers = new Headers({ IP: envelope.ip, Helo: envelope.helo, From: envelope.mailFrom, 'MTA-Name': options.hostname });
      for (const rcpt of envelope.recipients) headers.append('Rcpt', rcpt);
      try {
        const res = await fetch(endpoint, { method: 'POST', headers, body: new Uint8Array(raw), signal: AbortSignal.timeout(options.timeoutMs ?? 20_000) });
        if (!res.ok) throw new Error(`rspamd answered HTTP ${res.status}`);
        const result = (await res.json()) as { action?: string; score?: number; required_score?: number };
        const verdict = verdicts[result.action ?? ''] ?? 'clean';
        const score = `score=${Number(result.score ?? 0).toFixed(2)} required=${Number(result.required_score ?? 0).toFixed(2)}`;
        return { verdict, header: `X-Spam-Status: ${verdict === 'clean' ? 'No' : 'Yes'}, ${score} action=${(result.action ?? '').replace(/[^\w ]/g, '')}` };
      } catch (err) {
        options.log.warn({ err }, 'rspamd unavailable');
        return { verdict: options.whenDown === 'defer' ? 'defer' : 'untested', header: 'X-Spam-Status: Untested (spam filter unavailable)' };
      }
    },
  };
}
