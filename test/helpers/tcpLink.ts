import net, { type AddressInfo } from 'node:net';

/**
 * A TCP hop in front of a server (PostgreSQL, Redis): `cut()` makes it unreachable (a failover, a
 * network split, a stopped service) without touching the shared server; `restore()` brings it back.
 */
export async function tcpLink(targetHost: string, targetPort: number) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {}).on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    /** `target` with this hop's address in place of the server's. */
    via(target: URL): string {
      const url = new URL(target);
      url.host = `127.0.0.1:${port}`;
      return url.toString();
    },
    async cut() {
      const closed = new Promise((r) => server.close(r));
      for (const s of sockets) s.destroy();
      await closed;
    },
    restore: () => new Promise<void>((r) => server.listen(port, '127.0.0.1', r)),
    close: () => new Promise((r) => server.close(r)),
  };
}
