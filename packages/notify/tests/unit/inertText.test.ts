import { codeSpan, inertMrkdwn } from '../../src';
import { escapeMrkdwn, neutralise } from '../../src/inertText';

describe('neutralise()', () => {
  it('removes zero-width characters and replaces bidi controls, line breaks and backticks', () => {
    expect(neutralise('a\u200Bb\u202Ec\nd\r\ne`f\u2028g')).toBe('ab\uFFFDc↵d↵eˋf↵g');
  });

  it('defuses broadcast words but leaves e-mail addresses readable', () => {
    expect(neutralise('@everyone @here @Channel alice@example.com')).toBe(
      '＠everyone ＠here ＠Channel alice@example.com',
    );
  });
});

describe('inertMrkdwn()', () => {
  it('escapes the three characters Slack requires', () => {
    expect(escapeMrkdwn('<!channel> & <https://evil.example|click>')).toBe(
      '&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;',
    );
  });

  it('never cuts an entity or a surrogate pair when truncating', () => {
    const out = inertMrkdwn(`${'<'.repeat(10)}😀😀`, 12);
    expect(out.length).toBeLessThanOrEqual(12);
    expect(out).toBe('&lt;&lt;…');
    const emoji = inertMrkdwn('😀😀😀', 4);
    expect(emoji).toBe('😀…');
  });
});

describe('codeSpan()', () => {
  it('wraps a 100 KB hostile string in one bounded code span', () => {
    const span = codeSpan('`<!here>`\n'.repeat(10_000), 300);
    expect(span.length).toBeLessThanOrEqual(300);
    expect(span.startsWith('`')).toBe(true);
    expect(span.endsWith('`')).toBe(true);
    expect(span.slice(1, -1)).not.toMatch(/[`<>\n]/);
  });
});
