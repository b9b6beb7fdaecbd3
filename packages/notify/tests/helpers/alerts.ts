// The alert factories live in @firstseen/test-support; this re-export keeps notify's test imports short.
export { HOSTILE, hostileAlert, makeAlert } from '@firstseen/test-support';
