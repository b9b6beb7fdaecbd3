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

describe('routeAlert() by where it happened', () => {
  const { routing } = parseConfig({
    routing: {
      rules: [
        { ous: ['Sandbox*'], destinations: ['slack'] },
        { ous: ['Production*'], destinations: ['slack'] },
        { ous: ['Production*'], severities: ['high'], destinations: ['pagerduty'] },
      ],
    },
  });
  const prod = { name: 'payments-prod', ouPath: 'Production/Payments', tags: { environment: 'prod' } };
  const sandbox = { name: 'alice-sandbox', ouPath: 'Sandbox' };

  it('matches OU path globs', () => {
    expect(routeAlert(makeAlert({ severity: 'high', accountInfo: prod }), routing)).toEqual([
      'slack',
      'pagerduty',
    ]);
    expect(routeAlert(makeAlert({ severity: 'high', accountInfo: sandbox }), routing)).toEqual(['slack']);
    expect(
      routeAlert(makeAlert({ severity: 'high', accountInfo: { name: 'x', ouPath: 'Archive' } }), routing),
    ).toEqual([]);
  });

  it('sends an account missing from the directory to the default route: Slack, not the pager', () => {
    expect(routeAlert(makeAlert({ severity: 'high' }), routing)).toEqual(['slack']);
  });

  it('uses routing.defaultDestinations when given', () => {
    const withDefault = parseConfig({
      routing: {
        rules: [{ ous: ['Sandbox*'], destinations: ['slack'] }],
        defaultDestinations: ['pagerduty'],
      },
    }).routing;
    expect(routeAlert(makeAlert(), withDefault)).toEqual(['pagerduty']);
  });

  it('matches accounts by id without the directory and by name with it', () => {
    const byAccount = parseConfig({
      routing: {
        rules: [
          { accounts: ['1111*'], destinations: ['pagerduty'] },
          { accounts: ['payments-*'], destinations: ['slack'] },
        ],
      },
    }).routing;
    expect(routeAlert(makeAlert({ account: '111122223333' }), byAccount)).toEqual(['pagerduty']);
    expect(routeAlert(makeAlert({ account: '552650195104', accountInfo: prod }), byAccount)).toEqual([
      'slack',
    ]);
  });

  it('matches account tags key=value-glob', () => {
    const byTag = parseConfig({
      routing: { rules: [{ accountTags: ['environment=prod*', 'tier=1'], destinations: ['pagerduty'] }] },
    }).routing;
    expect(routeAlert(makeAlert({ accountInfo: prod }), byTag)).toEqual(['pagerduty']);
    expect(routeAlert(makeAlert({ accountInfo: { ...prod, tags: { environment: 'dev' } } }), byTag)).toEqual(
      [],
    );
    expect(routeAlert(makeAlert({ accountInfo: sandbox }), byTag)).toEqual([]);
  });

  it('never uses the default route when a rule matched or no rule needed the directory', () => {
    const mixed = parseConfig({
      routing: {
        rules: [
          { ous: ['Production*'], destinations: ['pagerduty'] },
          { severities: ['low'], destinations: ['slack'] },
        ],
        defaultDestinations: ['pagerduty'],
      },
    }).routing;
    expect(routeAlert(makeAlert({ severity: 'low' }), mixed)).toEqual(['slack']);
    const plain = parseConfig({
      routing: { rules: [{ severities: ['high'], destinations: ['slack'] }] },
    }).routing;
    expect(routeAlert(makeAlert({ severity: 'low' }), plain)).toEqual([]);
  });
});
