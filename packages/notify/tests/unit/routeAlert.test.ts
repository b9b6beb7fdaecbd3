import { parseConfig } from '@firstseen/core';
import { routeAlert } from '../../src';
import { makeAlert } from '../helpers/alerts';

describe('routeAlert()', () => {
  it('sends every alert to slack and high ones to pagerduty by default', () => {
    const { routing } = parseConfig({});
    expect(routeAlert(makeAlert({ severity: 'high' }), routing)).toEqual(['slack', 'pagerduty']);
    expect(routeAlert(makeAlert({ severity: 'low' }), routing)).toEqual(['slack']);
  });

  it('adds the destinations of every rule whose conditions all hold', () => {
    const { routing } = parseConfig({
      routing: {
        destinations: {
          sec: { type: 'slack' },
          prod: { type: 'slack', secret: 'PROD' },
          log: { type: 'console' },
        },
        rules: [
          { destinations: ['log'] },
          { principals: ['role/deploy*'], accounts: ['1111*'], destinations: ['prod'] },
          { levels: ['window'], actions: ['iam.*'], destinations: ['sec'] },
        ],
      },
    });
    expect(routeAlert(makeAlert(), routing)).toEqual(['log', 'prod']);
    expect(routeAlert(makeAlert({ levels: ['window'] }), routing)).toEqual(['log', 'prod', 'sec']);
    expect(routeAlert(makeAlert({ account: '999' }), routing)).toEqual(['log']);
  });
});
