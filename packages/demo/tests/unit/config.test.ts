import { parseConfig } from '@firstseen/core';
import { DEMO_SCENARIOS, demoConfig, demoConfigInput, demoScenarios } from '../../src/config';

describe('the demo config with --config FILE', () => {
  it('takes the file settings and keeps its own routing', () => {
    const config = demoConfig(
      {},
      { levels: { resource: true }, burnInDays: 3, routing: { destinations: {}, rules: [] } },
    );
    expect(config.levels.resource).toBe(true);
    expect(config.burnInDays).toBe(3);
    expect(Object.keys(config.routing.destinations)).toEqual(['console']);
    expect(demoConfigInput({}, { levels: { resource: true } })).toMatchObject({ levels: { resource: true } });
  });

  it('injects the exfiltration only with the resource level on', () => {
    expect(demoScenarios(demoConfig({}))).toEqual(DEMO_SCENARIOS);
    expect(demoScenarios(parseConfig({ levels: { resource: true } }))).toEqual([
      ...DEMO_SCENARIOS,
      'exfiltration',
    ]);
  });

  it('refuses a bad setting in the file, naming its path', () => {
    expect(() => demoConfig({}, { levels: { resource: 'yes' } })).toThrow(/levels\.resource/);
  });
});
