import { HelpRequested, UsageError } from '@firstseen/core';

// The lock file pins AWS SDK releases that support Node 20 (the README's prerequisite), so the
// SDK's notice that later releases will need Node 22 says nothing to a user of this repository;
// the SDK prints it once per process when a client is built unless this variable is "true".
// Set here, before any command builds a client, and inherited by the processes commands start;
// AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false in the environment brings it back.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

type ErrorClass = abstract new (...args: never[]) => Error;

export interface Command {
  /** As the user types it after `npm run` (`triage`), or `npm start`. */
  name: string;
  usage: string;
  /** Errors that mean "this command line cannot run": one line, the usage, exit 2. */
  usageErrors?: ErrorClass[];
  /** Errors whose message is the whole story (a missing file, no local stack): one line, exit 2. */
  inputErrors?: ErrorClass[];
  /** Returns the exit code. */
  run(argv: string[]): Promise<number>;
}

export interface Outcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What a command's failure prints and its exit code; a stack only for the unexpected, on request. */
export function describeFailure(command: Command, err: unknown, env = process.env): Outcome {
  if (err instanceof HelpRequested)
    return { exitCode: 0, stdout: `${command.usage.trimEnd()}\n`, stderr: '' };
  const message = err instanceof Error ? err.message : String(err);
  const is = (classes: ErrorClass[] | undefined) => (classes ?? []).some((c) => err instanceof c);
  if (err instanceof UsageError || is(command.usageErrors)) {
    return { exitCode: 2, stdout: '', stderr: `${command.name}: ${message}\n\n${command.usage.trimEnd()}\n` };
  }
  if (is(command.inputErrors)) return { exitCode: 2, stdout: '', stderr: `${command.name}: ${message}\n` };
  const debug = /^(debug|trace)$/.test(env.FIRSTSEEN_LOG_LEVEL ?? '');
  const detail = debug && err instanceof Error && err.stack ? `\n${err.stack}` : '';
  return { exitCode: 1, stdout: '', stderr: `${command.name} failed: ${message}${detail}\n` };
}

/**
 * Runs a command as every `npm run …` script does: its exit code, or for a failure the lines
 * describeFailure gives. `exit: true` ends the process once done (commands that leave emulator
 * sockets or timers behind on purpose, such as `npm start`).
 */
export function runCommand(command: Command, options: { exit?: boolean } = {}): void {
  const finish = (code: number) => {
    if (options.exit) process.exit(code);
    process.exitCode = code;
  };
  command.run(process.argv.slice(2)).then(finish, (err: unknown) => {
    const outcome = describeFailure(command, err);
    if (outcome.stdout) process.stdout.write(outcome.stdout);
    if (outcome.stderr) process.stderr.write(outcome.stderr);
    finish(outcome.exitCode);
  });
}
