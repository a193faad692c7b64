// The sidebars of the docs folder in DOCS_DIR: one per API version (see site.js).
module.exports = require('./site').sidebars(process.env.DOCS_DIR);
