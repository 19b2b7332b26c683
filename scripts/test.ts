// Runs every test file under test/ with node's test runner. Extra args are passed through
// (e.g. `node scripts/test.ts test/core`). Tests whose tool is missing are left out with one line
// saying what to install, and the run then fails: green means everything ran.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

function collect(path: string, out: string[]): string[] {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) collect(join(path, entry), out);
  } else if (path.endsWith('.test.ts')) {
    out.push(path);
  }
  return out;
}

/** What some tests need from the machine, and how a newcomer gets it (README "Two commands"). */
const prerequisites = [
  {
    tool: "Debian's chromium",
    present: () => existsSync('/usr/bin/chromium'),
    install: 'apt-get install -y chromium fonts-wqy-microhei',
    neededBy: (file: string) => file.includes(`${sep}e2e${sep}`),
  },
  {
    tool: "Debian's haproxy",
    present: () => existsSync('/usr/sbin/haproxy'),
    install: 'apt-get install -y haproxy',
    neededBy: (file: string) => file.includes(`${sep}cluster${sep}`),
  },
  {
    tool: 'python3',
    present: () => spawnSync('python3', ['--version'], { stdio: 'ignore' }).status === 0,
    install: 'apt-get install -y python3',
    // The tests that drive Python's imaplib, poplib or smtplib as a real client.
    neededBy: (file: string) => readFileSync(file, 'utf8').includes('python'),
  },
  {
    tool: 'mbsync (isync) and fetchmail',
    present: () => ['mbsync', 'fetchmail'].every((t) => spawnSync(t, ['--version'], { stdio: 'ignore' }).status === 0),
    install: 'apt-get install -y isync fetchmail',
    neededBy: (file: string) => file.endsWith(`${sep}realClients.test.ts`),
  },
];

const roots = process.argv.slice(2);
let files = (roots.length ? roots : ['test']).flatMap((r) => collect(r, []));
let missing = 0;
for (const p of prerequisites) {
  const needing = files.filter(p.neededBy);
  if (needing.length === 0 || p.present()) continue;
  missing++;
  console.error(`${needing.length} test file(s) not run: ${p.tool} is missing; install it with \`${p.install}\`.`);
  files = files.filter((f) => !needing.includes(f));
}
const result = files.length ? spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=300000', ...files], { stdio: 'inherit' }) : { status: 0 };
process.exit(missing ? 1 : (result.status ?? 1));
