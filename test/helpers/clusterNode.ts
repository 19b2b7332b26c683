// One Postern node as its own process (the cluster test kills it with SIGKILL): configured by the
// POSTERN_* environment like `postern serve`, it prints one JSON line with the ports it bound.
import { loadConfig } from '../../src/config.ts';
import { startPostern } from '../../src/server.ts';

const config = loadConfig();
const postern = await startPostern(config);
process.stdout.write(`${JSON.stringify({ ...config.ports, url: postern.url, web: Number(new URL(postern.url).port) })}\n`);
process.on('SIGTERM', () => void postern.stop().then(() => process.exit(0)));
