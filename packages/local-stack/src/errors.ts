import { FirstseenError } from '@firstseen/core';

/** Base class of the local stack's errors. */
export class LocalStackError extends FirstseenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalStackError';
  }
}

/** `java` is not on the PATH (DynamoDB Local is a Java program). */
export class JavaNotFoundError extends LocalStackError {
  constructor(options?: { cause?: unknown }) {
    super(
      'DynamoDB Local needs Java 17 and no `java` was found on the PATH. On Debian/Ubuntu: ' +
        'sudo apt-get install -y openjdk-17-jdk-headless',
      options,
    );
    this.name = 'JavaNotFoundError';
  }
}

/** The provisioned emulator does not match its pinned SHA-256 (corrupt download or tampering). */
export class EmulatorIntegrityError extends LocalStackError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmulatorIntegrityError';
  }
}

/** An emulator did not start (exited early, never answered, or could not be provisioned). */
export class EmulatorStartError extends LocalStackError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmulatorStartError';
  }
}
