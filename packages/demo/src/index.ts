export { DemoInterruptedError } from './errors';
export { startLocalDemo } from './runLocalDemo';
export type { LocalDemo } from './types';
