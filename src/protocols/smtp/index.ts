import type { SMTPServer } from 'smtp-server';
import { closeSmtp, createSmtpServer, listenSmtp, type SmtpDeps } from './smtpServer.ts';

export interface RunningSmtp {
  /** Ports as bound (port 0 in the config resolves to the real one). */
  ports: { smtp: number; submission: number; smtps: number };
  close(): Promise<void>;
}

/** Inbound SMTP, submission with STARTTLS and submission over implicit TLS, on the configured ports. */
export async function startSmtp(deps: SmtpDeps): Promise<RunningSmtp> {
  const { config } = deps;
  const started: SMTPServer[] = [];
  const start = async (mode: 'inbound' | 'submission' | 'smtps', port: number, setting: string) => {
    const server = createSmtpServer(mode, deps);
    const bound = await listenSmtp(server, port, config.host, setting);
    started.push(server);
    return bound;
  };
  const close = async () => {
    await Promise.all(started.map(closeSmtp));
  };
  try {
    const ports = {
      smtp: await start('inbound', config.ports.smtp, 'POSTERN_SMTP_PORT'),
      submission: await start('submission', config.ports.submission, 'POSTERN_SUBMISSION_PORT'),
      smtps: await start('smtps', config.ports.smtps, 'POSTERN_SMTPS_PORT'),
    };
    return { ports, close };
  } catch (err) {
    await close();
    throw err;
  }
}
