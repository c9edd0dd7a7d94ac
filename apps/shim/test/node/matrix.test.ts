import { describeLegacyMatrix } from '../legacy-matrix.js';

// The same suite as inside workerd (test/workerd/matrix.test.ts).
describeLegacyMatrix('on Node');
