#!/usr/bin/env node
// Before `npm test`: the real components the end-to-end tests drive must be on this machine.
// Missing ones are installed with apt where we may (root or passwordless sudo on Debian/Ubuntu);
// elsewhere this stops with one line naming the exact command. Add a component as one row.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What the tests drive, how to tell it is there (a program on PATH or a path), its Debian package. */
export const COMPONENTS = [
  { name: 'tmux', program: 'tmux', debian: 'tmux', why: 'a real terminal for the TUI tests' },
  { name: 'chromium', path: '/usr/bin/chromium', debian: 'chromium', why: 'a headless browser for the HTML report tests' },
  { name: 'prometheus', program: 'prometheus', debian: 'prometheus', why: 'a real Prometheus scraping watch --metrics' },
  { name: 'promtool', program: 'promtool', debian: 'prometheus', why: 'checks the alerting rules' },
  { name: 'logrotate', program: 'logrotate', debian: 'logrotate', why: 'real rotation of a followed log' },
  { name: 'rsyslog', program: 'rsyslogd', debian: 'rsyslog', why: 'a real syslog daemon writing kern.log' },
  { name: 'systemd-journal-remote', path: '/lib/systemd/systemd-journal-remote', debian: 'systemd-journal-remote', why: 'writes journal files the way a central journal host does' },
];

const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

function onPath(program) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...SBIN].filter(Boolean);
  return dirs.some((d) => {
    try {
      accessSync(join(d, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const present = (c) => (c.program ? onPath(c.program) : existsSync(c.path));
export const missingComponents = () => COMPONENTS.filter((c) => !present(c));

function main() {
  const missing = missingComponents();
  if (missing.length === 0) return 0;
  const packages = [...new Set(missing.map((c) => c.debian))];
  const names = missing.map((c) => c.name).join(', ');
  const debian = existsSync('/etc/debian_version') && onPath('apt-get');
  const root = process.getuid?.() === 0;
  const sudo = !root && onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  const command = `${root ? '' : 'sudo '}apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  if (!debian) {
    process.stderr.write(`oomlens tests: missing ${names}; install them with your package manager (Debian packages: ${packages.join(' ')})\n`);
    return 1;
  }
  if (!root && !sudo) {
    process.stderr.write(`oomlens tests: missing ${names}; install them: ${command}\n`);
    return 1;
  }
  process.stderr.write(`oomlens tests: installing ${names} (${packages.join(' ')})\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => spawnSync(root ? 'apt-get' : 'sudo', root ? args : ['-n', 'apt-get', ...args], { stdio: ['ignore', 'ignore', 'inherit'], env }).status === 0;
  if (!apt(['update', '-qq']) || !apt(['install', '-y', '-qq', '--no-install-recommends', ...packages])) {
    process.stderr.write(`oomlens tests: could not install ${names}; run: ${command}\n`);
    return 1;
  }
  const still = missingComponents();
  if (still.length > 0) {
    process.stderr.write(`oomlens tests: ${still.map((c) => c.name).join(', ')} still missing after apt-get install ${packages.join(' ')}\n`);
    return 1;
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main());
