import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
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
export async function smtpClient(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
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
  await reply();
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
