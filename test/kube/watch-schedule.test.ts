// client-go's watch timeout (tools/cache/reflector.go): random whole seconds in [minWatchTimeout, 2 × min).
import { strict as assert } from 'node:assert';
import { watchTimeoutSeconds } from '../../src/kube/watch-schedule.js';

describe('the timeoutSeconds a watch asks for', () => {
  const cases: [number, number][] = [
    [0, 300],
    [0.5, 450],
    [0.999_999, 599],
    [1, 599], // a random source that reaches 1 still stays below 10 minutes
  ];
  for (const [random, seconds] of cases) {
    it(`is ${seconds} s when the random draw is ${random}`, () => {
      assert.equal(
        watchTimeoutSeconds(() => random),
        seconds,
      );
    });
  }
});
