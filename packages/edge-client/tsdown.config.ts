import { packageConfig } from '@cloudagent-phone/tsdown-config';

export default packageConfig(['src/index.ts']);
