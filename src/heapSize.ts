// V8 sizes the old generation for a heap as small as a node's (some 55 MB live), and under load a
// full mark-compact then ran every 300 ms and took a fifth of the node's CPU (bench/smtp-inbound.ts:
// 5.7 ms of CPU per delivered message, 3.9 ms with this). A node's heap starts at 128 MB of old
// space instead. Imported first (src/cli/main.ts, src/server.ts), before the heap has grown; an
// operator's own --initial-old-space-size wins.
import { setFlagsFromString } from 'node:v8';

const initialOldSpaceMb = 128;

const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => a.startsWith('--initial-old-space-size'));
if (!given) setFlagsFromString(`--initial-old-space-size=${initialOldSpaceMb}`);
