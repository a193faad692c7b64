// The docs folder comes from DOCS_DIR (cargo xtask docs sets it): generated/docs, or any generated crate's.
const path = require('path');
const { versions, docId } = require('./site');

const docsDir = process.env.DOCS_DIR;
if (!docsDir) {
  throw new Error('DOCS_DIR must name the docs folder to build (cargo xtask docs sets it)');
}

// A navbar entry per version, opening its landing page; the crate's docs README first.
const navItems = [{ type: 'doc', docId: docId(docsDir, path.join(docsDir, 'README.md')), label: 'Rust SDK', position: 'left' }];
const vs = versions(docsDir);
if (vs.length) {
  navItems.push({
    type: 'dropdown',
    label: 'API versions',
    position: 'left',
    items: vs.map((v) => ({ type: 'docSidebar', sidebarId: v, label: v })),
  });
}

module.exports = {
  title: 'Generated SDK docs',
  url: 'http://localhost',
  baseUrl: '/',
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  markdown: { hooks: { onBrokenMarkdownLinks: 'throw' } },
  presets: [
    [
      'classic',
      {
        docs: { path: docsDir, routeBasePath: '/', sidebarPath: require.resolve('./sidebars.js') },
        blog: false,
        theme: { customCss: require.resolve('./src/css/custom.css') },
      },
    ],
  ],
  themeConfig: {
    navbar: { title: 'Generated SDK docs', items: navItems },
  },
};
