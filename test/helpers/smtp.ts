import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { fileURLToPath } from 'node:url';

const sendPy = fileURLToPath(new URL('../protocols/smtp/send.py', import.meta.url));

export interface PythonSend {
  port: number;
  mode: 'starttls' | 'ssl';
  user: string;
  password: string;
  from: string;
  to: string;
  subject: string;
  attachment?: string;
}

/** Runs test/protocols/smtp/send.py (Python smtplib) and returns what it reported. */
export function pythonSend(args: PythonSend): Promise<{ ok: boolean; code?: number; message?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [sendPy], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`send.py exited ${code}: ${out}`))));
    child.stdin.end(JSON.stringify(args));
  });
}

/** A bare SMTP conversation: `send` writes raw bytes, `reply` waits for the next complete reply. */
export function smtpClient(port: number) {
  return conversation(connect(port, '127.0.0.1'), true);
}

/** Sends STARTTLS and goes on with the same conversation over TLS (any certificate). */
export async function startTls(client: SmtpClient): Promise<SmtpClient> {
  const answer = await client.command('STARTTLS');
  if (!answer.startsWith('220')) throw new Error(`STARTTLS refused: ${answer}`);
  const secure = tlsConnect({ socket: client.socket, rejectUnauthorized: false });
  await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
  return conversation(secure, false);
}

export type SmtpClient = Awaited<ReturnType<typeof smtpClient>>;

async function conversation(socket: Socket, greeting: boolean) {
  let buffer = '';
  let closed = false;
  const waiters: (() => void)[] = [];
  socket.on('data', (d) => {
    buffer += d.toString('utf8');
    waiters.splice(0).forEach((w) => w());
  });
  socket.on('close', () => {
    closed = true;
    waiters.splice(0).forEach((w) => w());
  });
  socket.on('error', () => {});
  const reply = async (): Promise<string> => {
    for (;;) {
      const m = /^(?:\d{3}-.*\r\n)*\d{3}(?: .*)?\r\n/.exec(buffer);
      if (m) {
        buffer = buffer.slice(m[0].length);
        return m[0].trimEnd();
      }
      if (closed) return '';
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  if (greeting) await reply();
  return {
    socket,
    reply,
    send: (data: string | Buffer) => new Promise<void>((r) => socket.write(data, () => r())),
    async command(line: string) {
      socket.write(line + '\r\n');
      return reply();
    },
    get closed() {
      return closed;
    },
    close: () => socket.destroy(),
  };
}
