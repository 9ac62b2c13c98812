import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { CommandSource } from './systemLog.js';

/** The output of a log command, and what went wrong with it once it ended (null: nothing). */
export interface CommandOutput {
  stdout: Readable;
  outcome: Promise<string | null>;
}

/** Bytes of the command's stderr kept for the message. */
const STDERR_KEEP = 4096;

/**
 * Runs `journalctl` / `dmesg` and streams its output. Refusals become one line that says what
 * to do: dmesg under `kernel.dmesg_restrict`, a journal that shows the user only their own
 * messages (journalctl exits 0 then, with a hint on stderr).
 */
export function runLogCommand(source: CommandSource, uid: number | undefined = process.getuid?.()): CommandOutput {
  const root = uid === 0;
  const child = spawn(source.command, source.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < STDERR_KEEP) stderr += chunk.toString('utf8');
  });
  const outcome = new Promise<string | null>((resolve) => {
    child.on('error', (err) => resolve(`could not run ${source.label}: ${err.message}`));
    child.on('close', (code) => {
      if (/not permitted|permission denied/i.test(stderr) && source.label === 'dmesg') {
        resolve(
          root
            ? 'the kernel ring buffer is refused even to root (a container without CAP_SYSLOG, or a security module): name a log file'
            : 'the kernel ring buffer is restricted (kernel.dmesg_restrict): run as root, or name a log file',
        );
      } else if (/insufficient permissions|not seeing messages from other users/i.test(stderr)) {
        resolve(
          root
            ? 'the journal shows root only some messages (a container or a security module restricts it): name a log file'
            : 'the journal shows you only your own messages: run as root, or join the systemd-journal or adm group (sudo usermod -aG adm $USER)',
        );
      } else if (code !== 0) {
        resolve(`${source.label} exited with status ${code}${stderr ? `: ${stderr.trim().split('\n')[0]}` : ''}`);
      } else {
        resolve(null);
      }
    });
  });
  return { stdout: child.stdout, outcome };
}
