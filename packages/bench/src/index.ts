export { formatReport } from './formatReport';

export { measureReplayScaling, scalingRounds, scalingWorkload } from './replayScaling';
export { runBench } from './runBench';
