export { formatReport } from './formatReport';

export { runBench } from './runBench';
