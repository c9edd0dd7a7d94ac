// The command registry oclif loads (package.json: oclif.commands.strategy "explicit"). One module
// that the bundler can follow, instead of oclif globbing dist/commands/** at run time. The ids are
// the ones the directory layout used to give, so nothing a user types changed.
import Autocomplete from './commands/autocomplete.js';
import ConfigList from './commands/config/list.js';
import ConfigRemove from './commands/config/remove.js';
import ConfigSet from './commands/config/set.js';
import ConfigShow from './commands/config/show.js';
import JobsCancel from './commands/jobs/cancel.js';
import JobsReport from './commands/jobs/report.js';
import JobsStatus from './commands/jobs/status.js';
import MigrateScan from './commands/migrate/scan.js';
import MigrateStatus from './commands/migrate/status.js';
import PhoneBulkEdit from './commands/phone/bulk-edit.js';
import PhoneCreate from './commands/phone/create.js';
import PhoneDelete from './commands/phone/delete.js';
import PhoneEdit from './commands/phone/edit.js';
import PhoneGet from './commands/phone/get.js';
import Sandbox from './commands/sandbox.js';

export const COMMANDS = {
  'phone:edit': PhoneEdit,
  'phone:create': PhoneCreate,
  'phone:delete': PhoneDelete,
  'phone:get': PhoneGet,
  'phone:bulk-edit': PhoneBulkEdit,
  'jobs:status': JobsStatus,
  'jobs:report': JobsReport,
  'jobs:cancel': JobsCancel,
  sandbox: Sandbox,
  'config:set': ConfigSet,
  'config:show': ConfigShow,
  'config:list': ConfigList,
  'config:remove': ConfigRemove,
  'migrate:scan': MigrateScan,
  'migrate:status': MigrateStatus,
  autocomplete: Autocomplete,
};

export { default as commandNotFound } from './hooks/command-not-found.js';
// The runner lives in the same module as the registry: a run loads oclif and the commands together
// anyway, and one module instead of two (and the chunks the bundler would split out between them)
// is fewer files for Node's ESM loader to resolve, read and compile on every start.
export { run } from './main.js';
// For scripts/render-help.mjs, which prints each command's exitCodes with these meanings.
export { EXIT_MEANING } from './exit-codes.js';
