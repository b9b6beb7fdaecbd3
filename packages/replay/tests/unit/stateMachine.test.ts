import validator from 'asl-validator';
import { DEFAULT_MAP_CONCURRENCY, replayStateMachineDefinition } from '../../src';
import { resultWriterOf, SEED_MAP_STATE, SEED_TASK_STATE } from '../../src/shard/stateMachine';

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:firstseen-replay-shard';

function validate(definition: Record<string, unknown>): { isValid: boolean; errors: unknown[] } {
  // asl-validator fills in QueryLanguage on the object it is given: give it a copy.
  return validator(structuredClone(definition)) as { isValid: boolean; errors: unknown[] };
}

// biome-ignore lint/suspicious/noExplicitAny: the definition is walked as plain JSON
type State = Record<string, any>;
const mapOf = (d: Record<string, unknown>) => (d.States as Record<string, State>)[SEED_MAP_STATE]!;

// The definition is validated offline against the Amazon States Language schema (asl-validator),
// with ARN and path checks; it is executed in tests/integration/replayOnAws.test.ts.
describe('replayStateMachineDefinition', () => {
  const definition = replayStateMachineDefinition({
    shardFunctionArn: ARN,
    resultBucket: 'firstseen-replay-results',
  });

  it('is valid Amazon States Language', () => {
    const result = validate(definition);
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('is a distributed map over the objects of the manifest the execution names, batched, with the concurrency, retries, tolerance and results in S3', () => {
    const map = mapOf(definition);
    // The range's objects, one JSON line each (InputType is not in asl-validator's schema: checked here).
    expect(map.ItemReader).toEqual({
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSONL' },
      Parameters: { 'Bucket.$': '$.manifest.bucket', 'Key.$': '$.manifest.key' },
    });
    expect(map.ItemSelector).toEqual({
      'Key.$': '$$.Map.Item.Value.Key',
      'Size.$': '$$.Map.Item.Value.Size',
    });
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map.MaxConcurrency).toBe(DEFAULT_MAP_CONCURRENCY);
    expect(map.ItemBatcher.BatchInput).toEqual({
      'bucket.$': '$.bucket',
      'from.$': '$.from',
      'to.$': '$.to',
      'accounts.$': '$.accounts',
      'regions.$': '$.regions',
    });
    expect(map.ResultWriter).toEqual({
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { Bucket: 'firstseen-replay-results', Prefix: 'replay-results' },
    });
    const task = map.ItemProcessor.States[SEED_TASK_STATE];
    expect(task.Parameters.FunctionName).toBe(ARN);
    expect(task.Retry.flatMap((r: State) => r.ErrorEquals)).toEqual(
      expect.arrayContaining(['Lambda.TooManyRequestsException', 'States.ALL']),
    );
    expect(map.ToleratedFailurePercentage).toBe(5);
    expect(resultWriterOf(JSON.stringify(definition))).toEqual({
      bucket: 'firstseen-replay-results',
      prefix: 'replay-results',
    });
    expect(resultWriterOf('{"States":{}}')).toBeUndefined();
    expect(resultWriterOf('not json')).toBeUndefined();
  });

  it('takes the concurrency, batch size and tolerance, and refuses values AWS would', () => {
    const d = replayStateMachineDefinition({
      shardFunctionArn: ARN,
      resultBucket: 'b',
      maxConcurrency: 7,
      maxItemsPerBatch: 20,
      toleratedFailurePercentage: 0,
    });
    expect(validate(d).isValid).toBe(true);
    expect(mapOf(d).MaxConcurrency).toBe(7);
    expect(mapOf(d).ItemBatcher.MaxItemsPerBatch).toBe(20);
    expect(() =>
      replayStateMachineDefinition({ shardFunctionArn: ARN, resultBucket: 'b', maxConcurrency: 0 }),
    ).toThrow(/maxConcurrency/);
    expect(() =>
      replayStateMachineDefinition({
        shardFunctionArn: ARN,
        resultBucket: 'b',
        toleratedFailurePercentage: 101,
      }),
    ).toThrow(/toleratedFailurePercentage/);
  });

  it('is checked for real: the validator refuses a broken copy', () => {
    const broken = structuredClone(definition);
    mapOf(broken).ItemBatcher.MaxInputBytesPerBatch = 300_000; // above Step Functions' 256 KiB
    expect(validate(broken).isValid).toBe(false);
    const noEnd = structuredClone(definition);
    delete mapOf(noEnd).ItemProcessor.States[SEED_TASK_STATE].End;
    expect(validate(noEnd).isValid).toBe(false);
  });
});
