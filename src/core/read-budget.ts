/**
 * How much of a repository the bot reads: a file count and a byte total per
 * read, and a size per file. Repository content is tenant input; past the
 * budget, files are left unread and the read reports one Problem, so a huge
 * repository costs bounded memory and time and never takes a worker down.
 */
import { problem, type Problem } from "./errors.js";
import { MAX_DOCUMENTS, MAX_STRUCTURE_TOKENS, yamlOverBudget } from "./yaml-budget.js";

export interface ReadBudget {
  /** YAML files read per repository read (REPOSITORY_MAX_FILES). */
  maxFiles: number;
  /** Bytes of YAML read per repository read (REPOSITORY_MAX_BYTES). */
  maxBytes: number;
  /** Bytes per file; larger files are skipped with a warning. */
  maxFileBytes: number;
}

export const DEFAULT_READ_BUDGET: ReadBudget = { maxFiles: 10_000, maxBytes: 32 * 1024 * 1024, maxFileBytes: 1024 * 1024 };

/** Counts what a read takes; `take` says whether one more file of `size` bytes still fits. */
export class BudgetTracker {
  files = 0;
  bytes = 0;
  private skipped = 0;

  constructor(readonly budget: ReadBudget = DEFAULT_READ_BUDGET) {}

  take(size: number): boolean {
    if (this.skipped > 0 || this.files + 1 > this.budget.maxFiles || this.bytes + size > this.budget.maxBytes) {
      this.skipped++;
      return false;
    }
    this.files++;
    this.bytes += size;
    return true;
  }

  /** Counts a file left unread after its size turned out to break the budget. */
  refuse(): void {
    this.skipped++;
  }

  /** One Problem when the budget cut the read, else none. */
  problems(): Problem[] {
    if (this.skipped === 0) return [];
    const b = this.budget;
    return [
      problem(
        "repository.too-large",
        `the repository holds more YAML than the bot reads (at most ${b.maxFiles} files and ${b.maxBytes} bytes); ${this.skipped} file(s) were not read, so markers and objects in them are ignored: move unrelated YAML out of the repository or ask the operator to raise REPOSITORY_MAX_FILES / REPOSITORY_MAX_BYTES`,
      ),
    ];
  }
}

/** The warning for one file over `maxFileBytes`. */
export function fileTooLarge(path: string, budget: ReadBudget): Problem {
  return { ...problem("repository.file-too-large", `file is larger than ${budget.maxFileBytes} bytes and is not read`, { file: path }), severity: "warning" };
}

/**
 * The warning for a file whose YAML structure is over budget (yaml-budget.ts), or undefined. Such a file
 * would cost seconds and hundreds of MB to compose, for the manifests as much as for the setters, so it is
 * not read at all. A structural token takes at least one byte and a document four, so smaller files are
 * never lexed: the check costs nothing on ordinary repositories.
 */
export function tooComplex(path: string, content: string): Problem | undefined {
  if (content.length < 4 * MAX_DOCUMENTS) return undefined;
  if (content.length < MAX_STRUCTURE_TOKENS && !/^---/m.test(content)) return undefined;
  const why = yamlOverBudget(content);
  if (!why) return undefined;
  return {
    ...problem(
      "repository.file-too-complex",
      `file holds ${why}, more than the bot reads in one file; it is not read (split it, or keep large generated YAML out of the repository)`,
      { file: path },
    ),
    severity: "warning",
  };
}
