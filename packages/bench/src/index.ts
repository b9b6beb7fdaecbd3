export { formatReport } from './formatReport';

export { measureReplayScaling, scalingWorkload } from './replayScaling';
export { runBench } from './runBench';
