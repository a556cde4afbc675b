import { expect, it } from 'vitest';
import * as cellscope from '../src/index.js';

// An accidental change to the public API shows up here, in review.
it('exports the documented names', () => {
  expect(Object.keys(cellscope).sort()).toMatchSnapshot();
});
