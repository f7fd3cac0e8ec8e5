'use strict';
// The running Node's own headers, for node-gyp's --nodedir: the prefix P with
// P/include/node/node_api.h and common.gypi. Tried: the prefix Node was configured with
// (process.config), then the one its executable sits under (<P>/bin/node), which is where both
// distribution packages and official tarballs put them. Nothing is ever downloaded.
const fs = require('fs');
const path = require('path');

function hasHeaders(prefix) {
  const dir = path.join(prefix, 'include', 'node');
  return fs.existsSync(path.join(dir, 'node_api.h')) && fs.existsSync(path.join(dir, 'common.gypi'));
}

/** The prefix to pass as --nodedir, or null when this Node has no headers installed. */
function nodeHeadersPrefix() {
  const configured = process.config && process.config.variables && process.config.variables.node_prefix;
  const candidates = [path.resolve(path.dirname(fs.realpathSync(process.execPath)), '..')];
  if (typeof configured === 'string' && configured !== '' && configured !== '/') candidates.unshift(configured);
  return candidates.find(hasHeaders) ?? null;
}

module.exports = { nodeHeadersPrefix };

if (require.main === module) {
  const p = nodeHeadersPrefix();
  if (p === null) process.exit(1);
  process.stdout.write(p + '\n');
}
