// Runs every benchmark script in bench/ one after the other (`npm run bench`).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const scripts = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts').sort();
let failed = 0;
for (const script of scripts) {
  process.stdout.write(`\n== bench/${script}\n`);
  const r = spawnSync(process.execPath, [`${dir}${script}`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
