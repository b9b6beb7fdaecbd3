import { parseAlertItem } from '../../src/alertRecord';
import { makeAlert } from '../helpers/alerts';

describe('parseAlertItem()', () => {
  it('keeps the resource level and the resource of an alerts-table item', () => {
    const parsed = parseAlertItem({ ...makeAlert({ levels: ['resource'], resource: 's3:payroll' }) });
    expect(parsed?.alert.levels).toEqual(['resource']);
    expect(parsed?.alert.resource).toBe('s3:payroll');
  });

  it('drops a resource that is not a string instead of refusing the alert', () => {
    const parsed = parseAlertItem({ ...makeAlert(), resource: { bucket: 'x' } });
    expect(parsed?.alert.resource).toBeUndefined();
    expect(parsed?.alert.principal).toBe('role/deploy');
  });
});
