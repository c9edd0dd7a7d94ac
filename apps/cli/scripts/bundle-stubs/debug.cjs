// Stands in for the `debug` package inside the bundle (scripts/build.mjs). Loading `debug` costs
// 15-40 ms a run (it probes the terminal's colour support at start), for log lines nobody sees
// unless DEBUG is set: without DEBUG every logger is a no-op, with it the real package is loaded.
'use strict';
if (process.env.DEBUG) {
  module.exports = require('caphone-real-debug');
} else {
  const noop = () => {};
  const create = (namespace) => {
    const logger = () => {};
    logger.namespace = namespace;
    logger.enabled = false;
    logger.log = noop;
    logger.extend = (sub, delimiter = ':') => create(`${namespace}${delimiter}${sub}`);
    logger.destroy = () => true;
    return logger;
  };
  create.enable = noop;
  create.disable = () => '';
  create.enabled = () => false;
  create.formatters = {};
  create.names = [];
  create.skips = [];
  create.humanize = (ms) => `${ms}ms`;
  module.exports = create;
  module.exports.default = create;
}
