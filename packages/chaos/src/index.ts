export { formatChaosReport } from './formatChaosReport';
export type { PoisonKind, PoisonRecord } from './poisonRecords';
export { digestOf, POISON_KINDS, poisonRecord } from './poisonRecords';
export { ReceiverGate } from './ReceiverGate';
export { randomInt, seededRandom } from './random';
export { chaosConfig, planPuts, referenceAlerts, runChaos } from './runChaos';
export type { DeliveryTally, DestinationTally } from './tallyDeliveries';
export { tallyDeliveries } from './tallyDeliveries';
export type { ChaosOptions, ChaosReport, DetectionTrace } from './types';
