// V8 sizes the old generation for a heap as small as a node's (some 55 MB live), and under load a
// full mark-compact then ran every 300 ms and took a fifth of the node's CPU (bench/smtp-inbound.ts:
// 5.7 ms of CPU per delivered message, 3.9 ms with this). A node's heap starts at 128 MB of old
// space instead, and after each full collection may grow to twice what it kept: V8's own factor
// (1.1-1.6 for a heap this size) left the limit so close that marking began again within 10 MB,
// since it starts once the room left is below the young generation's 32 MB (--trace-incremental-marking:
// 3 full collections a second; 0.5 ms less CPU per delivered message without them). Imported
// first (src/cli/main.ts, src/server.ts), before the heap has grown; an operator's own flags win.
import { setFlagsFromString } from 'node:v8';

const flags = { 'initial-old-space-size': 128, 'heap-growing-percent': 100 };

const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
for (const [flag, value] of Object.entries(flags)) {
  if (!given.some((a) => a.startsWith(`--${flag}`))) setFlagsFromString(`--${flag}=${value}`);
}
