/**
 * Makes sure Debian's Chromium is present for the end-to-end tests: uses $CHROMIUM_PATH or
 * /usr/bin/chromium; when missing and running as root with apt-get, installs the `chromium`
 * package; otherwise says exactly what to install. Never downloads a browser build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from './browser.ts';

function main(): void {
  const path = chromiumPath();
  if (existsSync(path)) return;
  const root = process.getuid?.() === 0;
  const apt = existsSync('/usr/bin/apt-get');
  if (root && apt && !process.env.CHROMIUM_PATH) {
    console.log('Chromium not found: installing Debian’s chromium package (apt-get)…');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (existsSync(path)) return;
  }
  console.error(
    `No Chromium at ${path}. Install Debian's package as root: \`apt-get update && apt-get install -y chromium\`, ` +
      'or point CHROMIUM_PATH at an existing Chromium or Chrome binary.',
  );
  process.exit(1);
}

main();
