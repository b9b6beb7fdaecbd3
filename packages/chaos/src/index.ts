export { runChaos } from './runChaos';

export { formatChaosReport } from './verdict/formatChaosReport';
