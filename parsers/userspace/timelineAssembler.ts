import type { KillRecord } from '../../src/schema/killRecord.js';
import type { OomRecord } from '../../src/schema/oomRecord.js';
import type { UserspaceKill } from '../../src/schema/userspaceKill.js';
import { Assembler } from '../assemble/assembler.js';
import type { DecodedLine } from '../decode/decodedLine.js';
import { UserspaceAssembler } from './assembler.js';

export interface TimelineAssemblerOptions {
  file?: string | null;
  keepRaw?: boolean;
  emit: (record: KillRecord) => void;
}

/**
 * One timeline of kills from one input: every decoded line goes to the kernel's dump assembler
 * and to the userspace killers' assembler, and their records come out merged by the line they
 * start at. The kernel's records keep the order the kernel assembler gives them; a userspace
 * record is slotted in once no kernel record starting before it can still appear, and the
 * reverse. Same surface as the kernel `Assembler`, so the chunk scanner drives either.
 */
export class TimelineAssembler {
  private readonly kernel: Assembler;
  private readonly userspace: UserspaceAssembler;
  private readonly kernelQueue: OomRecord[] = [];
  private readonly userspaceQueue: UserspaceKill[] = [];
  private readonly emit: (record: KillRecord) => void;

  constructor(options: TimelineAssemblerOptions) {
    this.emit = options.emit;
    const common = { file: options.file ?? null, keepRaw: options.keepRaw ?? false };
    this.kernel = new Assembler({ ...common, emit: (r) => this.kernelQueue.push(r) });
    this.userspace = new UserspaceAssembler({ ...common, emit: (r) => this.userspaceQueue.push(r) });
  }

  wantsEveryLine(): boolean {
    return this.kernel.wantsEveryLine() || this.userspace.wantsEveryLine();
  }

  push(line: DecodedLine, lineNo: number, raw?: string): void {
    this.kernel.push(line, lineNo, raw);
    this.userspace.push(line, lineNo, raw);
    this.release();
  }

  skipped(count: number): void {
    this.kernel.skipped(count);
    this.userspace.skipped(count);
    this.release();
  }

  flush(): void {
    this.kernel.flush();
    this.userspace.flush();
    this.release();
  }

  settle(): void {
    this.kernel.settle();
    this.userspace.settle();
    this.release();
  }

  /**
   * First line of the oldest record not yet written (open, or waiting in either queue), or null:
   * a resumed watch feeds the input again from there.
   */
  oldestNeededLine(): number | null {
    const lines = [this.kernel.oldestNeededLine(), this.userspace.oldestNeededLine(), ...[...this.kernelQueue, ...this.userspaceQueue].map((r) => r.source.line)];
    const known = lines.filter((l) => l !== null);
    return known.length > 0 ? Math.min(...known) : null;
  }

  private release(): void {
    while (this.kernelQueue.length > 0 || this.userspaceQueue.length > 0) {
      const k = this.kernelQueue[0];
      const u = this.userspaceQueue[0];
      if (u && (!k || u.source.line < k.source.line) && before(u.source.line, this.kernel.oldestNeededLine())) {
        this.emit(this.userspaceQueue.shift()!);
      } else if (k && (!u || k.source.line <= u.source.line) && before(k.source.line, this.userspace.oldestNeededLine())) {
        this.emit(this.kernelQueue.shift()!);
      } else {
        return;
      }
    }
  }
}

function before(line: number, open: number | null): boolean {
  return open === null || line < open;
}
